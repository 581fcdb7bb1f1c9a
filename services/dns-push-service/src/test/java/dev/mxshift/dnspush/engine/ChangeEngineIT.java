package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ApplyReceipt;
import dev.mxshift.connector.Capabilities;
import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.DnsConnector;
import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.dnspush.connectors.ConnectorLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine around the connectors, against the lab's real servers: a write whose target is already there writes
 * nothing (the zone's serial does not move); a set someone edited is never overwritten, whether the edit came before
 * the engine's read or (RFC 2136, where the server checks the prerequisites) between its read and its write; a dry
 * run writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeEngineIT {

    private static final String BIND_ZONE = "alpineskihouse.com";
    private static final String PDNS_ZONE = "fabrikam.com";

    private ConnectorLab lab;
    private ResilientConnector bind;
    private ResilientConnector powerDns;
    private SimpleResolver bindServer;
    private SimpleResolver powerDnsServer;

    @BeforeAll
    void up() throws Exception {
        lab = ConnectorLab.up("lab-engine");
        Path secret = lab.tsigSecretFile();
        Path key = lab.secretFile("api-key", lab.powerDnsApi().path("apiKey").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        InetSocketAddress bindAddress = ConnectorLab.address(lab.authoritative("bind"));
        bindServer = new SimpleResolver(bindAddress);
        bind = registry.create("lab-bind", "rfc2136", Map.of("server", bindAddress.getAddress().getHostAddress() + ":" + bindAddress.getPort(),
                "tsig-key-name", lab.tsig().path("name").asString(), "tsig-secret", "file:" + secret));
        powerDnsServer = new SimpleResolver(ConnectorLab.address(lab.authoritative("powerdns")));
        powerDns = registry.create("lab-powerdns", "powerdns", Map.of("url", lab.powerDnsApi().path("url").asString(),
                "api-key", "file:" + key));
    }

    @AfterAll
    void down() {
        lab.close();
    }

    private static RrSet mx(String zone, String... rdata) {
        return new RrSet("engine." + zone, "MX", 300, List.of(rdata));
    }

    @Test
    void aTargetAlreadyInPlaceIsASuccessWithoutAWrite() throws Exception {
        for (ResilientConnector connector : List.of(bind, powerDns)) {
            String zone = connector == bind ? BIND_ZONE : PDNS_ZONE;
            RrSet target = mx(zone, "0 contoso-com.o-v1.mx.microsoft.");
            reset(connector, zone, target);
            long before = serial(connector == bind ? bindServer : powerDnsServer, zone);
            PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(zone, target.owner(), "MX",
                    mx(zone, "0 legacy.mail.protection.outlook.com."), target), false);
            assertThat(outcome).as(connector.id()).isInstanceOf(PushOutcome.AlreadyInPlace.class);
            assertThat(serial(connector == bind ? bindServer : powerDnsServer, zone)).as("no write, no new serial").isEqualTo(before);
        }
    }

    @Test
    void aSetEditedBeforeTheEnginesReadIsReportedWithBothVersionsAndKept() throws Exception {
        for (ResilientConnector connector : List.of(bind, powerDns)) {
            String zone = connector == bind ? BIND_ZONE : PDNS_ZONE;
            RrSet planned = mx(zone, "0 legacy.mail.protection.outlook.com.");
            RrSet edited = mx(zone, "0 legacy.mail.protection.outlook.com.", "10 backup.example.net.");
            reset(connector, zone, edited);
            PushOutcome outcome = ChangeEngine.push(connector, new RrSetChange(zone, planned.owner(), "MX", planned,
                    mx(zone, "0 legacy.mail.protection.outlook.com.", "20 contoso-com.o-v1.mx.microsoft.")), false);
            assertThat(outcome).as(connector.id()).isInstanceOfSatisfying(PushOutcome.Conflict.class, c -> {
                assertThat(c.expected()).isEqualTo(planned);
                assertThat(c.actual().sameAs(edited)).isTrue();
            });
            assertThat(connector.read(zone, planned.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(edited)).isTrue());
        }
    }

    @Test
    void anRfc2136EditBetweenTheEnginesReadAndItsWriteIsRefusedByTheServer() throws Exception {
        RrSet planned = mx(BIND_ZONE, "0 legacy.mail.protection.outlook.com.");
        RrSet edited = mx(BIND_ZONE, "0 legacy.mail.protection.outlook.com.", "10 backup.example.net.");
        reset(bind, BIND_ZONE, planned);
        // Someone else writes in the instant between the engine's read and its update.
        DnsConnector racing = new DnsConnector() {
            @Override
            public String id() {
                return bind.id();
            }

            @Override
            public Capabilities capabilities() {
                return bind.capabilities();
            }

            @Override
            public Optional<RrSet> read(String zone, String owner, String type) throws ConnectorException {
                return bind.read(zone, owner, type);
            }

            @Override
            public ApplyReceipt apply(RrSetChange change) throws ConnectorException {
                bind.apply(new RrSetChange(BIND_ZONE, planned.owner(), "MX", planned, edited));
                return bind.apply(change);
            }
        };
        PushOutcome outcome = ChangeEngine.push(racing, new RrSetChange(BIND_ZONE, planned.owner(), "MX", planned,
                mx(BIND_ZONE, "0 contoso-com.o-v1.mx.microsoft.")), false);
        assertThat(outcome).isInstanceOfSatisfying(PushOutcome.Conflict.class, c -> assertThat(c.actual().sameAs(edited)).isTrue());
        assertThat(bind.read(BIND_ZONE, planned.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(edited)).as("the edit survives").isTrue());
    }

    @Test
    void aDryRunWritesNothing() throws Exception {
        RrSet before = mx(PDNS_ZONE, "0 legacy.mail.protection.outlook.com.");
        reset(powerDns, PDNS_ZONE, before);
        long serial = serial(powerDnsServer, PDNS_ZONE);
        PushOutcome outcome = ChangeEngine.push(powerDns, new RrSetChange(PDNS_ZONE, before.owner(), "MX", before,
                mx(PDNS_ZONE, "0 contoso-com.o-v1.mx.microsoft.")), true);
        assertThat(outcome).isInstanceOf(PushOutcome.WouldApply.class);
        assertThat(serial(powerDnsServer, PDNS_ZONE)).isEqualTo(serial);
        assertThat(powerDns.read(PDNS_ZONE, before.owner(), "MX")).hasValueSatisfying(s -> assertThat(s.sameAs(before)).isTrue());
    }

    private static void reset(DnsConnector connector, String zone, RrSet to) throws ConnectorException {
        Optional<RrSet> now = connector.read(zone, to.owner(), "MX");
        connector.apply(new RrSetChange(zone, to.owner(), "MX", now.orElse(null), to));
    }

    private static long serial(SimpleResolver server, String zone) throws Exception {
        Message reply = server.send(Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)));
        return ((SOARecord) reply.getSection(Section.ANSWER).stream().filter(r -> r instanceof SOARecord).findFirst().orElseThrow()).getSerial();
    }
}
