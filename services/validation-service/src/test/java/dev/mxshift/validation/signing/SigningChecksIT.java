package dev.mxshift.validation.signing;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.event.Finding;
import dev.mxshift.validation.propagation.AuthoritativeServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static dev.mxshift.validation.signing.TestZone.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signing stage's checks against the lab's real servers: PowerDNS (the TLDs and most tenant zones, signing live),
 * BIND (its own zones and the secondary of the "both" zones) and Unbound as the validating resolver. Each adapter
 * gathers what the servers say; each decision is then taken as the workflow will take it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningChecksIT {

    private static final String POWERDNS_CONNECTOR = "lab-powerdns";

    private LabRun lab;
    private ZoneSigningSurvey zoneSurvey;
    private ParentSurvey parentSurvey;
    private AuthoritativeServers.Server bind;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/validation-service/target/lab-signing"));
        JsonNode endpoints = lab.endpoints();
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(endpoints.path("resolver").path("address").asString(),
                endpoints.path("resolver").path("port").asInt()));
        resolver.setTimeout(Duration.ofSeconds(10));
        Map<String, Integer> ports = new HashMap<>();
        endpoints.path("authoritative").forEach(s -> ports.put(s.path("address").asString(), s.path("port").asInt()));
        AuthoritativeServers servers = new AuthoritativeServers(resolver, ports);
        zoneSurvey = new ZoneSigningSurvey(servers, Duration.ofSeconds(5));
        parentSurvey = new ParentSurvey(resolver, servers, Duration.ofSeconds(5));
        endpoints.path("authoritative").forEach(s -> {
            if (s.path("name").asString().equals("bind")) {
                bind = new AuthoritativeServers.Server(name(s.path("nameServer").asString()),
                        new InetSocketAddress(s.path("address").asString(), s.path("port").asInt()));
            }
        });
        assertThat(bind).as("endpoints.json names the BIND server").isNotNull();
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private ZoneSigningCheck.Verdict zoneSigning(String zone, List<AuthoritativeServers.Server> alsoAsk) throws Exception {
        return said(zone + " ZoneSigningCheck", ZoneSigningCheck.decide(zoneSurvey.gather(name(zone), alsoAsk), List.of(), Instant.now()));
    }

    /** Prints what a check said (in target/failsafe-reports/...-output.txt), so a run shows the lab's verdicts. */
    private static <T> T said(String what, T verdict) {
        String summary = verdict instanceof ZoneSigningCheck.Verdict v ? v.summary() : verdict instanceof ParentDsCheck.Verdict v ? v.summary()
                : verdict instanceof ParentDsCheck.GoneVerdict v ? v.summary() : verdict instanceof SigningPreflight.Verdict v ? v.summary() : "";
        System.out.println(what + ": " + verdict.getClass().getSimpleName() + ": " + summary);
        return verdict;
    }

    private static SigningPolicy policy(Set<Name> controlled) {
        return new SigningPolicy(Map.of(POWERDNS_CONNECTOR, controlled), Map.of(POWERDNS_CONNECTOR, Set.of()),
                Map.of(name("net"), DsPath.MANUAL, name("org"), DsPath.CDS), Optional.empty());
    }

    @Test
    void contosoIsSignedEverywhereAndChainedWithTheDsItsKeysCallFor() throws Exception {
        ZoneSigningCheck.Verdict signing = zoneSigning("contoso.com", List.of());
        assertThat(signing).as(signing.summary()).isInstanceOf(ZoneSigningCheck.Signed.class);
        ZoneSigningCheck.Signed signed = (ZoneSigningCheck.Signed) signing;
        assertThat(signed.servers()).singleElement().asString().startsWith("ns1.lab-dns.net");
        assertThat(signed.largestSignatureTtl()).isPositive();

        ParentView view = parentSurvey.look(name("contoso.com"));
        assertThat(view.parent()).isEqualTo(name("com"));
        ParentDsCheck.Verdict parent = said("ParentDsCheck", ParentDsCheck.decide(view, signed.dsToPublish()));
        assertThat(parent).as(parent.summary()).isInstanceOf(ParentDsCheck.Chained.class);
        ParentDsCheck.Chained chained = (ParentDsCheck.Chained) parent;
        assertThat(chained.ds()).isEqualTo(signed.dsToPublish());
        assertThat(chained.dsTtl()).isEqualTo(3600);

        assertThat(ParentDsCheck.decideGone(view, OptionalLong.empty())).isInstanceOfSatisfying(ParentDsCheck.StillThere.class,
                still -> assertThat(still.servers()).singleElement().asString().startsWith("ns1.lab-dns.net").contains("still serves the DS"));
        assertThat(SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("ns1.lab-dns.net")))))
                .isInstanceOf(SigningPreflight.AlreadySecure.class);
    }

    @Test
    void aServerTheCallerNamesIsAskedTooAndOneThatDoesNotServeTheZoneIsBroken() throws Exception {
        ZoneSigningCheck.Verdict verdict = zoneSigning("contoso.com", List.of(bind));

        assertThat(verdict).isInstanceOf(ZoneSigningCheck.Broken.class);
        assertThat(verdict.summary()).contains("bind.lab-dns.net").contains("answers without authority for contoso.com");
    }

    @Test
    void aZoneOnPowerDnsAndItsBindSecondaryIsCheckedOnBoth() throws Exception {
        ZoneSigningCheck.Verdict verdict = zoneSigning("firstupconsultants.com", List.of());

        assertThat(verdict).as(verdict.summary()).isInstanceOf(ZoneSigningCheck.Signed.class);
        assertThat(((ZoneSigningCheck.Signed) verdict).servers()).hasSize(2)
                .anySatisfy(s -> assertThat(s).startsWith("ns1.lab-dns.net")).anySatisfy(s -> assertThat(s).startsWith("bind.lab-dns.net"));
    }

    @Test
    void tailspinIsSignedButNotChainedAndIsToBeChainedAsItIs() throws Exception {
        ZoneSigningCheck.Verdict signing = zoneSigning("tailspin.org", List.of());
        assertThat(signing).as(signing.summary()).isInstanceOf(ZoneSigningCheck.Signed.class);

        ParentView view = parentSurvey.look(name("tailspin.org"));
        ParentDsCheck.Verdict parent = said("ParentDsCheck", ParentDsCheck.decide(view, ((ZoneSigningCheck.Signed) signing).dsToPublish()));
        assertThat(parent).isInstanceOf(ParentDsCheck.NotYet.class);
        assertThat(((ParentDsCheck.NotYet) parent).waitingFor()).anySatisfy(w -> assertThat(w).startsWith("ns1.lab-dns.net")
                .endsWith("serves no DS for tailspin.org yet")).anySatisfy(w -> assertThat(w).contains("resolver still says tailspin.org is insecure"));

        assertThat(ParentDsCheck.decideGone(view, OptionalLong.of(3600))).isInstanceOf(ParentDsCheck.Gone.class);
        SigningPreflight.Verdict preflight = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("ns1.lab-dns.net")))));
        assertThat(preflight).as(preflight.summary()).isInstanceOfSatisfying(SigningPreflight.Proceed.class, p -> {
            assertThat(p.mode()).isEqualTo(SigningPreflight.Mode.CHAIN);
            assertThat(p.parent()).isEqualTo(name("org"));
            assertThat(p.path()).isEqualTo(DsPath.CDS);
        });
    }

    @Test
    void northwindIsUnsignedAndIsToBeSignedOnTheConnectorsServer() throws Exception {
        ZoneSigningCheck.Verdict signing = zoneSigning("northwind.net", List.of());
        assertThat(signing).as(signing.summary()).isInstanceOfSatisfying(ZoneSigningCheck.NotYet.class,
                notYet -> assertThat(notYet.unsigned()).isTrue());

        ParentView view = parentSurvey.look(name("northwind.net"));
        assertThat(view.servers()).allSatisfy(s -> assertThat(s.delegation()).containsExactly(name("ns1.lab-dns.net")));
        SigningPreflight.Verdict preflight = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("ns1.lab-dns.net")))));
        assertThat(preflight).as(preflight.summary()).isInstanceOfSatisfying(SigningPreflight.Proceed.class, p -> {
            assertThat(p.mode()).isEqualTo(SigningPreflight.Mode.SIGN);
            assertThat(p.parent()).isEqualTo(name("net"));
            assertThat(p.path()).isEqualTo(DsPath.MANUAL);
        });
    }

    @Test
    void aDelegationServerTheConnectorDoesNotControlBlocksAndIsNamed() throws Exception {
        ParentView view = parentSurvey.look(name("northwind.net"));

        SigningPreflight.Verdict verdict = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("bind.lab-dns.net")))));

        assertThat(verdict).isInstanceOfSatisfying(SigningPreflight.Blocked.class, blocked -> {
            assertThat(blocked.mode()).isEqualTo(SigningPreflight.Mode.SIGN);
            assertThat(blocked.findings()).extracting(Finding::code).containsExactly("FOREIGN_NAME_SERVER");
            assertThat(blocked.findings().get(0).message()).contains("names ns1.lab-dns.net");
        });
    }

    @Test
    void wingtipsDsIsWrongAndTheRightOneIsTheDsOfItsServedKey() throws Exception {
        ZoneSigningCheck.Verdict signing = zoneSigning("wingtip.com", List.of());
        assertThat(signing).as(signing.summary()).isInstanceOf(ZoneSigningCheck.Signed.class);
        List<DSRecord> served = ((ZoneSigningCheck.Signed) signing).dsToPublish();

        ParentView view = parentSurvey.look(name("wingtip.com"));
        ParentDsCheck.Verdict verdict = said("ParentDsCheck", ParentDsCheck.decide(view, List.of()));

        assertThat(verdict).as(verdict.summary()).isInstanceOfSatisfying(ParentDsCheck.WrongDs.class, wrong -> {
            assertThat(wrong.correctDs()).isEqualTo(served);
            assertThat(wrong.seen()).hasSize(1).doesNotContainAnyElementsOf(served);
            assertThat(wrong.problems()).anySatisfy(p -> assertThat(p).startsWith("ns1.lab-dns.net").contains("matches no key of wingtip.com"))
                    .anySatisfy(p -> assertThat(p).contains("resolver says wingtip.com is bogus"));
        });
        SigningPreflight.Verdict preflight = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("ns1.lab-dns.net")))));
        assertThat(preflight).isInstanceOfSatisfying(SigningPreflight.Blocked.class, b ->
                assertThat(b.findings()).extracting(Finding::code).contains("ZONE_BOGUS"));
    }

    @Test
    void expiredSignaturesOnBindAreBrokenNamingTheServer() throws Exception {
        ZoneSigningCheck.Verdict verdict = zoneSigning("expired-signatures.com", List.of());

        assertThat(verdict).isInstanceOf(ZoneSigningCheck.Broken.class);
        assertThat(verdict.summary()).contains("bind.lab-dns.net").contains("expired");
    }
}
