package dev.mxshift.dnspush;

import dev.mxshift.connector.DnsConnector;
import dev.mxshift.dnspush.connectors.ReferenceRegistrarServer;
import dev.mxshift.dnspush.parent.DsbootSignals;
import dev.mxshift.dnspush.parent.RegistrarWebhook;
import dev.mxshift.dnspush.engine.ConnectorRegistry;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.dnssec.ZoneKeys;
import dev.mxshift.model.dnssec.ZoneSigningPlan;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.AwaitingExternalAction;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push service's side of the DNSSEC stage against the lab's real PowerDNS: signing records the keys the server then
 * serves, a repeat makes no second key, the DS goes to the parent by CDS, by a registrar webhook that writes the real TLD
 * zone, by EPP to the lab registry, or to an operator with exactly what to submit; the unsigning withdraws the DS and then stops signing, at BIND
 * too, whose CDS named publishes by itself and can only turn into the delete form. On the CDS path the DNS operator's
 * signed zone lab-dns.net carries RFC 9615 signals for the child while the registry needs them, and not after. The
 * validation service's verifications are given here as events (their checks are the validation service's tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnssecPushIT {

    private static final DomainName ZONE = DomainName.of("northwind.net");

    private LabRun lab;
    private DnsConnector powerDns;
    private DnsConnector bind;
    /** BIND through the bind connector: records by RFC 2136, DNSSEC by rndc and named's dnssec-policy. */
    private DnsConnector bindSigning;
    private SimpleResolver bindServer;
    private Path bindDir;
    private long bindTtl;
    private SimpleResolver server;
    /** The registries' server (the root and the TLDs): where a DS at the parent is asked for. */
    private SimpleResolver registryServer;
    private ReferenceRegistrarServer registrar;
    private DnssecSteps steps;
    private DomainHistory cds;
    private DsbootSignals signals;
    /** Where the operator vouches for northwind.net: under its name server ns1.lab-dns.net, in its signed zone lab-dns.net. */
    private static final String SIGNAL = "_dsboot.northwind.net._signal.ns1.lab-dns.net.";

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/dns-push-service/target/lab-dnssec-push"));
        JsonNode api = lab.endpoints().path("powerdnsApi");
        Path key = lab.directory().resolve("powerdns-api-key");
        Files.writeString(key, api.path("apiKey").asString());
        ConnectorRegistry registry = new ConnectorRegistry();
        powerDns = registry.create("lab-powerdns", "powerdns", Map.of("url", api.path("url").asString(), "api-key", "file:" + key));
        JsonNode tsig = lab.endpoints().path("tsig");
        Path secret = lab.directory().resolve("tsig-secret");
        Files.writeString(secret, tsig.path("secret").asString());
        for (JsonNode s : lab.endpoints().path("authoritative")) {
            if (s.path("name").asString().equals("powerdns")) {
                server = new SimpleResolver(new java.net.InetSocketAddress(s.path("address").asString(), s.path("port").asInt()));
                server.setTCP(true);
            } else if (s.path("name").asString().equals("registry")) {
                registryServer = new SimpleResolver(new java.net.InetSocketAddress(s.path("address").asString(), s.path("port").asInt()));
                registryServer.setTCP(true);
            } else if (s.path("name").asString().equals("bind")) {
                Map<String, String> settings = Map.of("server", s.path("address").asString() + ":" + s.path("port").asInt(),
                        "tsig-key-name", tsig.path("name").asString(), "tsig-algorithm", tsig.path("algorithm").asString(),
                        "tsig-secret", "file:" + secret);
                bind = registry.create("lab-bind", "rfc2136", settings);
                Map<String, String> signing = new java.util.HashMap<>(settings);
                signing.put("rndc-conf", s.path("rndcConf").asString());
                bindSigning = registry.create("lab-bind", "bind", signing);
                bindServer = new SimpleResolver(new java.net.InetSocketAddress(s.path("address").asString(), s.path("port").asInt()));
                bindServer.setTCP(true);
                bindDir = Path.of(s.path("rndcConf").asString()).getParent();
                bindTtl = s.path("signableZoneTtl").asLong();
            }
        }
        Path token = lab.directory().resolve("registrar-token");
        Files.writeString(token, "registrar-secret-1");
        JsonNode registryApi = lab.endpoints().path("registryApi");
        registrar = new ReferenceRegistrarServer(registryApi.path("url").asString(), registryApi.path("apiKey").asString(), "registrar-secret-1");
        signals = new DsbootSignals(List.of(new DsbootSignals.SignallingZone("lab-dns.net", powerDns, 300)));
        steps = new DnssecSteps(Map.of("net", new RegistrarWebhook(new dev.mxshift.connector.ConnectorConfig("hoster-registrar",
                "registrar-webhook", Map.of("url", registrar.url(), "token", "file:" + token),
                reference -> new dev.mxshift.service.SecretReference(reference).resolve()))), signals);
    }

    @AfterAll
    void down() {
        if (registrar != null) {
            registrar.close();
        }
        lab.close();
    }

    /** A domain of the zone, planned with the DNSSEC stage by the given path. */
    private static DomainHistory planned(ParentPath path) {
        return planned(ZONE, "lab-powerdns", path);
    }

    private static DomainHistory planned(DomainName zone, String connector, ParentPath path) {
        DomainHistory history = DomainHistory.of(zone);
        history.add(new MigrationRequested(ProviderRef.of(connector, zone.value()), Fixtures.targetHostOf(zone), "wave-1", List.of(),
                "inventory", false, UnsignedZonePolicy.SIGN));
        history.add(new Discovered(Fixtures.eligibleSnapshot(Fixtures.legacyMx(zone))));
        ZoneSigningPlan signing = ZoneSigningPlan.sign(zone, DomainName.of(zone.value().substring(zone.value().indexOf('.') + 1)), path);
        history.add(new PreflightPassed(List.of(), signing));
        history.add(PlanGenerated.of(Fixtures.microsoftPlan(history.state().discoveredMx(), history.state().targetHost(), signing)));
        return history;
    }

    private MigrationEvent push(DomainHistory history, DnsConnector connector) {
        NextAction.ApplyStep apply = (NextAction.ApplyStep) Workflow.next(history.state());
        return steps.apply(history.state(), apply, connector);
    }

    /** The validation service's verdict on the signed zone, as it records it: the keys it saw served; then the key caches' wait. */
    private static void verifiedKeys(DomainHistory history, ZoneKeys keys) {
        history.add(new StepVerified(Direction.FORWARD, history.state().stepIndex(), List.of(new Evidence("lab", "DNSKEY served, RRSIG valid")),
                new ZoneKeys(keys.keyTags(), keys.ds(), 3600, 0)));
        // the wait for resolvers' "no DNSKEY" answers to expire (the push service's timer; WaitTimerIT tests it)
        history.add(new WaitScheduled(Direction.FORWARD, 1, DomainHistory.EPOCH));
        history.add(new WaitElapsed(Direction.FORWARD, 1));
    }

    private List<Record> ask(String name, int type) throws Exception {
        return ask(server, name, type);
    }

    private static List<Record> ask(SimpleResolver at, String name, int type) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        return at.send(query).getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    private TreeSet<String> rdata(String name, int type) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        ask(name, type).forEach(r -> out.add(r.rdataToString().toUpperCase(Locale.ROOT)));
        return out;
    }

    private static Message withDo(String name, int type) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        return query;
    }

    private TreeSet<String> servedDs(String zone) throws Exception {
        TreeSet<String> ds = new TreeSet<>();
        for (Record key : ask(zone, Type.DNSKEY)) {
            DNSKEYRecord dnskey = (DNSKEYRecord) key;
            if ((dnskey.getFlags() & 1) == 1) {
                ds.add(new DSRecord(dnskey.getName(), DClass.IN, 0, DNSSEC.Digest.SHA256, dnskey).rdataToString().toUpperCase(Locale.ROOT));
            }
        }
        return ds;
    }

    @Test
    @Order(1)
    void signingRecordsTheKeysTheServerThenServesAndARepeatMakesNoSecondKey() throws Exception {
        assertThat(ask("northwind.net", Type.DNSKEY)).as("unsigned before").isEmpty();
        cds = planned(ParentPath.CDS);
        MigrationEvent signed = push(cds, powerDns);
        assertThat(signed).isInstanceOf(StepApplied.class);
        ZoneKeys keys = ((StepApplied) signed).keys();
        assertThat(((StepApplied) signed).alreadyInPlace()).isFalse();
        assertThat(new TreeSet<>(keys.ds())).isEqualTo(servedDs("northwind.net"));

        // the push service crashed before its event was committed: the step comes again
        MigrationEvent again = push(cds, powerDns);
        assertThat(((StepApplied) again).alreadyInPlace()).isTrue();
        assertThat(((StepApplied) again).keys()).isEqualTo(keys);
        assertThat(ask("northwind.net", Type.DNSKEY)).hasSize(1);
        cds.add(again);
        verifiedKeys(cds, keys);
        assertThat(cds.state().dnssec().keysVerified()).isTrue();
    }

    @Test
    @Order(2)
    void theCdsPathPublishesCdsAndCdnskeyForExactlyTheVerifiedKeysAndTheOperatorsSignalsForThem() throws Exception {
        assertThat(ask(SIGNAL, Type.CDS)).as("no signal before").isEmpty();
        MigrationEvent published = push(cds, powerDns);
        assertThat(published).isInstanceOf(StepApplied.class);
        assertThat(((StepApplied) published).evidence()).contains("RFC 9615 signals at _dsboot.northwind.net._signal.ns1.lab-dns.net (lab-powerdns)");
        // a repeat after a crash writes nothing twice
        MigrationEvent again = push(cds, powerDns);
        assertThat(((StepApplied) again).evidence()).isEqualTo(((StepApplied) published).evidence());
        cds.add(published);
        assertThat(cds.state().dnssec().ds()).isEqualTo(DsStatus.SUBMITTED);
        TreeSet<String> served = new TreeSet<>();
        ask("northwind.net", Type.CDS).forEach(r -> served.add(r.rdataToString().toUpperCase(Locale.ROOT)));
        assertThat(served).isEqualTo(new TreeSet<>(cds.state().dnssec().keys().ds()));
        assertThat(ask("northwind.net", Type.CDNSKEY)).isNotEmpty();

        // RFC 9615 section 4.1: the same CDS and CDNSKEY at the signalling name, signed by the operator's zone
        assertThat(rdata(SIGNAL, Type.CDS)).isEqualTo(rdata("northwind.net.", Type.CDS)).hasSize(1);
        assertThat(rdata(SIGNAL, Type.CDNSKEY)).isEqualTo(rdata("northwind.net.", Type.CDNSKEY)).hasSize(1);
        Message signed = server.send(withDo(SIGNAL, Type.CDS));
        assertThat(signed.getSection(Section.ANSWER)).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(org.xbill.DNS.RRSIGRecord.class,
                sig -> assertThat(sig.getSigner().toString()).isEqualTo("lab-dns.net.")));
        // not yet chained: the signals stay while the registry may still need them
        assertThat(steps.removeActedUponSignals(cds.state(), Direction.FORWARD, 3, powerDns)).isEmpty();
    }

    @Test
    @Order(3)
    void theSignalsAreRemovedOnceTheRegistryActedOnThemAndARepeatFindsThemGone() throws Exception {
        ZoneKeys keys = cds.state().dnssec().keys();
        DomainHistory chained = DomainHistory.of(ZONE);
        cds.events().forEach(e -> chained.add(e.payload()));
        chained.add(new StepVerified(Direction.FORWARD, 2, List.of(new Evidence("net. servers", "the DS")),
                new ZoneKeys(keys.keyTags(), keys.ds(), 0, 2)));
        assertThat(chained.state().dnssec().ds()).isEqualTo(DsStatus.CHAINED);
        assertThat(steps.removeActedUponSignals(chained.state(), Direction.FORWARD, 3, powerDns)).hasValueSatisfying(text ->
                assertThat(text).isEqualTo("RFC 9615 signals removed: " + SIGNAL.replaceAll("\\.$", "") + " CDS, " + SIGNAL.replaceAll("\\.$", "") + " CDNSKEY"));
        assertThat(ask(SIGNAL, Type.CDS)).isEmpty();
        assertThat(ask(SIGNAL, Type.CDNSKEY)).isEmpty();
        assertThat(steps.removeActedUponSignals(chained.state(), Direction.FORWARD, 3, powerDns)).contains("RFC 9615 signals none left to remove");
        // only the first action after the PublishDs step removes them, and never on the way back
        assertThat(steps.removeActedUponSignals(chained.state(), Direction.FORWARD, 4, powerDns)).isEmpty();
        assertThat(steps.removeActedUponSignals(chained.state(), Direction.ROLLBACK, 3, powerDns)).isEmpty();
    }

    @Test
    @Order(4)
    void theManualPathShowsTheOperatorExactlyTheDsAndWaitsForAConfirmation() {
        DomainHistory manual = planned(ParentPath.MANUAL);
        MigrationEvent signed = push(manual, powerDns);
        manual.add(signed);
        verifiedKeys(manual, ((StepApplied) signed).keys());
        MigrationEvent asked = push(manual, powerDns);
        assertThat(asked).isInstanceOf(AwaitingExternalAction.class);
        AwaitingExternalAction action = (AwaitingExternalAction) asked;
        assertThat(action.action()).isEqualTo(ExternalAction.SUBMIT_DS_AT_REGISTRAR);
        for (String ds : manual.state().dnssec().keys().ds()) {
            assertThat(action.instructions()).contains("northwind.net. IN DS " + ds);
        }
        assertThat(action.instructions()).contains("IN DNSKEY 257 3 13 ").contains("./mxshift confirm northwind.net");
        manual.add(asked);
        assertThat(Workflow.next(manual.state())).isInstanceOf(NextAction.AwaitExternalConfirmation.class);
    }

    @Test
    @Order(4)
    void theWebhookPathAsksTheRegistrarSystemWhichPublishesTheDsInTheParentZone() throws Exception {
        DomainHistory webhook = planned(ParentPath.WEBHOOK);
        MigrationEvent signed = push(webhook, powerDns);
        webhook.add(signed);
        verifiedKeys(webhook, ((StepApplied) signed).keys());
        MigrationEvent submitted = push(webhook, powerDns);
        assertThat(submitted).isInstanceOf(StepApplied.class);
        assertThat(((StepApplied) submitted).evidence()).contains("hoster-registrar").contains("reference net-");
        TreeSet<String> atParent = new TreeSet<>();
        ask(registryServer, "northwind.net", Type.DS).forEach(r -> atParent.add(r.rdataToString().toUpperCase(Locale.ROOT)));
        assertThat(atParent).isEqualTo(new TreeSet<>(webhook.state().dnssec().keys().ds()));
        webhook.add(submitted);

        // its undoing asks the registrar to remove it
        webhook.add(new RollbackRequested("operator", "test", true));
        MigrationEvent withdrawn = push(webhook, powerDns);
        assertThat(withdrawn).isInstanceOf(StepApplied.class);
        assertThat(ask(registryServer, "northwind.net", Type.DS)).isEmpty();
        assertThat(registrar.requests()).containsExactly("PUT northwind.net", "DELETE northwind.net");
    }

    @Test
    @Order(5)
    void unsigningWithdrawsTheDsByTheCdsDeleteFormAndOnlyThenStopsSigning() throws Exception {
        // signals left behind (their removal after the bootstrap failed) go with the DS
        assertThat(signals.publish("northwind.net", powerDns, powerDns.signing("northwind.net"))).contains("signals at");
        assertThat(ask(SIGNAL, Type.CDS)).isNotEmpty();
        cds.add(new RollbackRequested("operator", "customer asked", true));
        assertThat(cds.state().rollbackSteps().get(0)).isInstanceOf(PlanStep.WithdrawDs.class);
        MigrationEvent withdrawn = push(cds, powerDns);
        assertThat(((StepApplied) withdrawn).evidence()).contains("CDS delete form", "RFC 9615 signals removed: " + SIGNAL.replaceAll("\\.$", "") + " CDS");
        cds.add(withdrawn);
        assertThat(ask(SIGNAL, Type.CDS)).isEmpty();
        assertThat(ask(SIGNAL, Type.CDNSKEY)).isEmpty();
        assertThat(ask("northwind.net", Type.CDS)).extracting(Record::rdataToString).containsExactly("0 0 0 00");
        assertThat(ask("northwind.net", Type.DNSKEY)).as("still signed while the DS may be cached").isNotEmpty();
        cds.add(new StepVerified(Direction.ROLLBACK, 0, List.of(new Evidence("net. servers", "no DS")), null));
        cds.add(new WaitScheduled(Direction.ROLLBACK, 1, DomainHistory.EPOCH));
        cds.add(new WaitElapsed(Direction.ROLLBACK, 1));
        MigrationEvent unsigned = push(cds, powerDns);
        assertThat(unsigned).isInstanceOf(StepApplied.class);
        assertThat(ask("northwind.net", Type.DNSKEY)).isEmpty();
        assertThat(ask("northwind.net", Type.CDS)).isEmpty();
        cds.add(unsigned);
    }

    @Test
    @Order(6)
    void aConnectorThatCannotSignStopsTheDomainWithWhatToDo() {
        DomainHistory history = planned(ParentPath.CDS);
        MigrationEvent refused = push(history, bind);
        assertThat(refused).isInstanceOf(StepApplyFailed.class);
        assertThat(((StepApplyFailed) refused).kind()).isEqualTo(ApplyFailureKind.PERMANENT);
        assertThat(((StepApplyFailed) refused).reason()).contains("does not manage DNSSEC").contains("migrate-insecure");
        history.add(refused);
    }

    /**
     * At BIND under a parent that takes DS by hand, named publishes CDS for its key by itself and cannot withdraw it
     * (9.18): the unsigning, once the DS is gone, turns it into the delete form and then stops signing, instead of
     * failing on a CDS it cannot stop.
     */
    @Test
    @Order(7)
    void aBindZoneUnsignedUnderAManualParentWithdrawsNamedsCdsByTheDeleteForm() throws Exception {
        DomainName zone = DomainName.of("dnssec-push-bind.com");
        addBindZone(zone.value());
        DomainHistory manual = planned(zone, "lab-bind", ParentPath.MANUAL);
        MigrationEvent signed = push(manual, bindSigning);
        assertThat(signed).as("%s", signed).isInstanceOf(StepApplied.class);
        manual.add(signed);
        ZoneKeys keys = ((StepApplied) signed).keys();
        verifiedKeys(manual, keys);
        MigrationEvent asked = push(manual, bindSigning);
        assertThat(asked).isInstanceOf(AwaitingExternalAction.class);
        manual.add(asked);
        manual.add(new ExternalActionConfirmed(Direction.FORWARD, 2, ExternalAction.SUBMIT_DS_AT_REGISTRAR, "registrar-desk"));
        manual.add(new StepVerified(Direction.FORWARD, 2, List.of(new Evidence("com. servers", "the DS")),
                new ZoneKeys(keys.keyTags(), keys.ds(), 0, 2)));
        assertThat(manual.state().dnssec().ds()).isEqualTo(DsStatus.CHAINED);

        manual.add(new RollbackRequested("operator", "customer leaves", true));
        assertThat(manual.state().rollbackSteps().get(0)).isInstanceOf(PlanStep.WithdrawDs.class);
        manual.add(push(manual, bindSigning));
        manual.add(new ExternalActionConfirmed(Direction.ROLLBACK, 0, ExternalAction.REMOVE_DS_AT_REGISTRAR, "registrar-desk"));
        manual.add(new StepVerified(Direction.ROLLBACK, 0, List.of(new Evidence("com. servers", "no DS")), null));
        manual.add(new WaitScheduled(Direction.ROLLBACK, 1, DomainHistory.EPOCH));
        manual.add(new WaitElapsed(Direction.ROLLBACK, 1));
        assertThat(Workflow.next(manual.state())).isInstanceOfSatisfying(NextAction.ApplyStep.class,
                apply -> assertThat(apply.planStep()).isInstanceOf(PlanStep.UnsignZone.class));
        // named publishes CDS once its key is in every cache (seconds with the lab's policy), and has no switch to stop it
        org.awaitility.Awaitility.await("named's CDS for " + zone).atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(250)).until(() -> bindSigning.signing(zone.value()).cds() == dev.mxshift.connector.CdsMode.PUBLISH);

        MigrationEvent unsigned = push(manual, bindSigning);
        assertThat(unsigned).as("%s", unsigned).isInstanceOf(StepApplied.class);
        assertThat(((StepApplied) unsigned).alreadyInPlace()).isFalse();
        assertThat(ask(bindServer, zone.value() + ".", Type.DNSKEY)).as("DNSKEY served").isEmpty();
        assertThat(ask(bindServer, zone.value() + ".", Type.CDS)).as("CDS served").isEmpty();
        manual.add(unsigned);
    }

    @Test
    @Order(9)
    void aSignallingNameThatHoldsSomeoneElsesRecordsIsNeitherWrittenOverNorRemoved() throws Exception {
        // contoso.com: signed at PowerDNS by the lab, name server ns1.lab-dns.net; someone else put a CDS at its signalling name
        String name = "_dsboot.contoso.com._signal.ns1.lab-dns.net";
        dev.mxshift.connector.RrSet foreign = new dev.mxshift.connector.RrSet(name, "CDS", 300, List.of("12345 13 2 " + "AB".repeat(32)));
        powerDns.apply(new dev.mxshift.connector.RrSetChange("lab-dns.net", name, "CDS", null, foreign));
        try {
            String published = signals.publish("contoso.com", powerDns, powerDns.signing("contoso.com"));
            assertThat(published).contains("published nowhere", "none for ns1.lab-dns.net (CDS holds [12345 13 2 ",
                    "not the keys of contoso.com: left alone)", "the registry bootstraps without them");
            assertThat(powerDns.read("lab-dns.net", name, "CDS")).hasValueSatisfying(set -> assertThat(set.sameAs(foreign)).isTrue());
            assertThat(powerDns.read("lab-dns.net", name, "CDNSKEY")).as("no half signal").isEmpty();
            assertThat(signals.remove("contoso.com", powerDns, powerDns.signing("contoso.com")))
                    .contains("none left to remove", "left alone: " + name + " CDS (holds [12345 13 2 ");
            assertThat(powerDns.read("lab-dns.net", name, "CDS")).isPresent();
        } finally {
            powerDns.apply(new dev.mxshift.connector.RrSetChange("lab-dns.net", name, "CDS", foreign, null));
        }
    }

    /** A new unsigned zone at the lab's BIND, added with rndc addzone as a hoster's provisioning would. */
    /**
     * The epp path: the push service speaks EPP to the lab registry itself (docs/registrar-epp.md), which writes exactly the
     * verified DS into the .net zone, and removes it when the signing is rolled back; a parent whose path is epp but whose
     * configured registrar is a webhook stops the domain with both settings named, before anything is asked.
     */
    @Test
    @Order(8)
    void theEppPathSpeaksEppToTheRegistryWhichPublishesExactlyTheVerifiedDsAndWithdrawsIt() throws Exception {
        JsonNode epp = lab.endpoints().path("epp");
        DnssecSteps viaEpp = new DnssecSteps(Map.of("net", new dev.mxshift.dnspush.parent.EppRegistrar(new dev.mxshift.connector.ConnectorConfig(
                "lab-registry", "epp", Map.of("host", epp.path("host").asString(), "port", epp.path("port").asString(),
                "ca-file", epp.path("caFile").asString(), "client-id", epp.path("clientId").asString(),
                "password", "file:" + epp.path("passwordFile").asString()),
                reference -> new dev.mxshift.service.SecretReference(reference).resolve()))));
        DomainHistory history = planned(ParentPath.EPP);
        MigrationEvent signed = viaEpp.apply(history.state(), (NextAction.ApplyStep) Workflow.next(history.state()), powerDns);
        history.add(signed);
        verifiedKeys(history, ((StepApplied) signed).keys());

        MigrationEvent mismatch = push(history, powerDns);
        assertThat(mismatch).isInstanceOf(StepApplyFailed.class);
        assertThat(((StepApplyFailed) mismatch).kind()).isEqualTo(ApplyFailureKind.PERMANENT);
        assertThat(((StepApplyFailed) mismatch).reason()).contains("the parent zone net takes the epp path", "hoster-registrar is of type webhook");
        assertThat(ask(registryServer, "northwind.net", Type.DS)).isEmpty();

        MigrationEvent submitted = viaEpp.apply(history.state(), (NextAction.ApplyStep) Workflow.next(history.state()), powerDns);
        assertThat(submitted).isInstanceOf(StepApplied.class);
        assertThat(((StepApplied) submitted).evidence()).contains("registry lab-registry set the DS of northwind.net", "EPP 1000");
        TreeSet<String> atParent = new TreeSet<>();
        ask(registryServer, "northwind.net", Type.DS).forEach(r -> atParent.add(r.rdataToString().toUpperCase(Locale.ROOT)));
        assertThat(atParent).isEqualTo(new TreeSet<>(history.state().dnssec().keys().ds())).isEqualTo(servedDs("northwind.net"));
        history.add(submitted);

        history.add(new RollbackRequested("operator", "test", true));
        MigrationEvent withdrawn = viaEpp.apply(history.state(), (NextAction.ApplyStep) Workflow.next(history.state()), powerDns);
        assertThat(withdrawn).isInstanceOf(StepApplied.class);
        assertThat(((StepApplied) withdrawn).evidence()).contains("removed every DS of northwind.net");
        assertThat(ask(registryServer, "northwind.net", Type.DS)).isEmpty();
    }

    private void addBindZone(String zone) throws Exception {
        Path file = bindDir.resolve("zones").resolve(zone + ".db");
        Files.writeString(file, String.join("\n", "$TTL " + bindTtl,
                zone + ". IN SOA ns." + zone + ". hostmaster." + zone + ". 1 60 60 600 " + bindTtl,
                zone + ". IN NS ns." + zone + ".", "ns." + zone + ". IN A 127.0.0.1",
                zone + ". IN MX 0 " + Fixtures.legacyHostOf(DomainName.of(zone)).value() + ".", ""));
        Process rndc = new ProcessBuilder("rndc", "-c", bindDir.resolve("rndc.conf").toString(), "addzone", zone, "{ type primary; file \""
                + file + "\"; update-policy { grant " + lab.endpoints().path("tsig").path("name").asString() + " zonesub ANY; }; };")
                .redirectErrorStream(true).start();
        String output = new String(rndc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rndc.waitFor()).as("rndc addzone %s: %s", zone, output).isZero();
    }
}
