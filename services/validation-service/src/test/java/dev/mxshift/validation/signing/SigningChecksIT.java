package dev.mxshift.validation.signing;

import dev.mxshift.model.dnssec.SigningMode;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.event.Finding;
import dev.mxshift.validation.propagation.AuthoritativeServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static dev.mxshift.validation.signing.TestZone.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    private JsonNode endpoints;

    @BeforeAll
    void up() throws Exception {
        Path root = LabRun.repositoryRoot();
        lab = LabRun.up(root.resolve("services/validation-service/target/lab-signing"),
                "--spec", root.resolve("services/validation-service/src/test/resources/signing/scenarios.yaml").toString());
        endpoints = lab.endpoints();
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
                Map.of(name("net"), ParentPath.MANUAL, name("org"), ParentPath.CDS), Optional.empty());
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
                still -> assertThat(still.servers()).singleElement().asString().startsWith("registry.lab-dns.net").contains("still serves the DS"));
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
        assertThat(((ParentDsCheck.NotYet) parent).waitingFor()).anySatisfy(w -> assertThat(w).startsWith("registry.lab-dns.net")
                .endsWith("serves no DS for tailspin.org yet")).anySatisfy(w -> assertThat(w).contains("resolver still says tailspin.org is insecure"));

        assertThat(ParentDsCheck.decideGone(view, OptionalLong.of(3600))).isInstanceOf(ParentDsCheck.Gone.class);
        SigningPreflight.Verdict preflight = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("ns1.lab-dns.net")))));
        assertThat(preflight).as(preflight.summary()).isInstanceOfSatisfying(SigningPreflight.Proceed.class, p -> {
            assertThat(p.mode()).isEqualTo(SigningMode.CHAIN);
            assertThat(p.parent()).isEqualTo(name("org"));
            assertThat(p.path()).isEqualTo(ParentPath.CDS);
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
            assertThat(p.mode()).isEqualTo(SigningMode.SIGN);
            assertThat(p.parent()).isEqualTo(name("net"));
            assertThat(p.path()).isEqualTo(ParentPath.MANUAL);
        });
    }

    @Test
    void aDelegationServerTheConnectorDoesNotControlBlocksAndIsNamed() throws Exception {
        ParentView view = parentSurvey.look(name("northwind.net"));

        SigningPreflight.Verdict verdict = said("SigningPreflight", SigningPreflight.decide(view, POWERDNS_CONNECTOR, policy(Set.of(name("bind.lab-dns.net")))));

        assertThat(verdict).isInstanceOfSatisfying(SigningPreflight.Blocked.class, blocked -> {
            assertThat(blocked.mode()).isEqualTo(SigningMode.SIGN);
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
            assertThat(wrong.problems()).anySatisfy(p -> assertThat(p).startsWith("registry.lab-dns.net").contains("matches no key of wingtip.com"))
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

    @Test
    void aZoneBindSignsItselfIsSignedAndOneWithAnUnsignedMxIsWaitedForNamingTheSet() throws Exception {
        ZoneSigningCheck.Verdict inline = zoneSigning("alpineskihouse.com", List.of());
        assertThat(inline).as(inline.summary()).isInstanceOfSatisfying(ZoneSigningCheck.Signed.class,
                signed -> assertThat(signed.servers()).singleElement().asString().startsWith("bind.lab-dns.net"));

        // Decision 0023: a set without RRSIG under a served key set is a signer still at work; the caller bounds the wait.
        ZoneSigningCheck.Verdict missing = zoneSigning("missing-signature.com", List.of());
        assertThat(missing).isInstanceOfSatisfying(ZoneSigningCheck.NotYet.class, notYet -> assertThat(notYet.waitingFor())
                .containsExactly("bind.lab-dns.net (" + bind.address().getAddress().getHostAddress() + ":" + bind.address().getPort()
                        + ") serves missing-signature.com MX without an RRSIG yet (is the signer still signing the zone?)"));
    }

    /**
     * The stage as the workflow will run it, on a zone served by PowerDNS and its BIND secondary: unsigned on both;
     * signed through PowerDNS's API, but not yet on the secondary (no serial change, no transfer); signed on both once
     * a change brings the transfer, with the DS PowerDNS gives; the DS at the parent (waiting for the resolver at
     * most); a typo'd DS caught at once, while the resolver may still say insecure; the DS removed and seen gone.
     */
    @Test
    void aZoneIsSignedOnBothServersThenChainedThenATypoIsCaughtThenTheDsIsGone() throws Exception {
        String zone = "fourthcoffee.net";
        assertThat(zoneSigning(zone, List.of())).isInstanceOfSatisfying(ZoneSigningCheck.NotYet.class, n -> assertThat(n.unsigned()).isTrue());

        List<DSRecord> providerDs = signWithPowerDns(zone);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(zoneSigning(zone, List.of())).isInstanceOfSatisfying(ZoneSigningCheck.NotYet.class, n -> {
                    assertThat(n.unsigned()).isFalse();
                    assertThat(n.waitingFor()).singleElement().asString().startsWith("bind.lab-dns.net").contains("serves no DNSKEY set");
                }));

        patch(zone, zone + ".", "TXT", 3600, "\"v=spf1 include:spf.protection.outlook.com ~all\"");
        AtomicReference<ZoneSigningCheck.Verdict> signing = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            signing.set(ZoneSigningCheck.decide(zoneSurvey.gather(name(zone), List.of()), providerDs, Instant.now()));
            assertThat(signing.get()).as(signing.get().summary()).isInstanceOf(ZoneSigningCheck.Signed.class);
        });
        said(zone + " ZoneSigningCheck", signing.get());
        ZoneSigningCheck.Signed signed = (ZoneSigningCheck.Signed) signing.get();
        assertThat(signed.servers()).hasSize(2);
        assertThat(signed.dsToPublish()).isEqualTo(providerDs);

        DSRecord ds = signed.dsToPublish().get(0);
        patch("net", zone + ".", "DS", 3600, ds.rdataToString());
        // Every parent server serves the DS within PowerDNS's packet-cache time. Unbound may still hold the parent's
        // proof that there was no DS (up to the net zone's negative TTL, 300 s): then the check must wait for it,
        // naming the resolver alone; once the resolver says secure it is chained.
        AtomicReference<ParentDsCheck.Verdict> chaining = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            chaining.set(ParentDsCheck.decide(parentSurvey.look(name(zone)), signed.dsToPublish()));
            assertThat(chaining.get()).as(chaining.get().summary()).satisfiesAnyOf(
                    v -> assertThat(v).isInstanceOfSatisfying(ParentDsCheck.Chained.class, c -> assertThat(c.ds()).containsExactly(ds)),
                    v -> assertThat(v).isInstanceOfSatisfying(ParentDsCheck.NotYet.class, n -> assertThat(n.waitingFor()).singleElement()
                            .asString().startsWith("the validating resolver still says " + zone + " is insecure")));
        });
        said("ParentDsCheck", chaining.get());

        byte[] typo = ds.getDigest().clone();
        typo[0] ^= 0x01;
        DSRecord wrong = new DSRecord(name(zone), DClass.IN, 3600, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), typo);
        patch("net", zone + ".", "DS", 3600, wrong.rdataToString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ParentDsCheck.Verdict verdict = ParentDsCheck.decide(parentSurvey.look(name(zone)), signed.dsToPublish());
            assertThat(verdict).as(verdict.summary()).isInstanceOfSatisfying(ParentDsCheck.WrongDs.class, w -> {
                assertThat(w.seen()).containsExactly(wrong);
                assertThat(w.correctDs()).containsExactly(ds);
                assertThat(w.problems()).anySatisfy(p -> assertThat(p).startsWith("registry.lab-dns.net").contains(wrong.rdataToString()));
            });
        });
        ParentDsCheck.GoneVerdict still = said("ParentDsCheck.decideGone", ParentDsCheck.decideGone(parentSurvey.look(name(zone)), OptionalLong.empty()));
        assertThat(still).isInstanceOf(ParentDsCheck.StillThere.class);
        long ttlSeen = ((ParentDsCheck.StillThere) still).largestDsTtl();
        assertThat(ttlSeen).isEqualTo(3600);

        patch("net", zone + ".", "DS", 3600, null);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(ParentDsCheck.decideGone(parentSurvey.look(name(zone)), OptionalLong.of(ttlSeen)))
                        .isInstanceOfSatisfying(ParentDsCheck.Gone.class, g -> assertThat(g.largestDsTtlSeenBefore()).hasValue(3600)));
    }

    /** What the DNS-push connector does to sign a zone: a combined key through PowerDNS's API, and the DS it reports. */
    private List<DSRecord> signWithPowerDns(String zone) throws Exception {
        HttpResponse<String> created = api("POST", "/zones/" + zone + "./cryptokeys",
                "{\"keytype\":\"csk\",\"active\":true,\"algorithm\":\"ECDSAP256SHA256\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        List<DSRecord> ds = new ArrayList<>();
        tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body()).path("ds").forEach(d -> {
            try {
                Record record = Record.fromString(name(zone), Type.DS, DClass.IN, 3600, d.asString(), Name.root);
                if (((DSRecord) record).getDigestID() == 2) {
                    ds.add((DSRecord) record);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(ds).as("PowerDNS reports a SHA-256 DS: %s", created.body()).hasSize(1);
        return ds;
    }

    /** Replaces one RRset of a PowerDNS zone (deletes it when {@code content} is null). */
    private void patch(String zone, String owner, String type, long ttl, String content) throws Exception {
        String body = "{\"rrsets\":[{\"name\":\"" + owner + "\",\"type\":\"" + type + "\",\"ttl\":" + ttl + ",\"changetype\":\""
                + (content == null ? "DELETE\"" : "REPLACE\",\"records\":[{\"content\":\"" + content.replace("\"", "\\\"") + "\",\"disabled\":false}]")
                + "}]}";
        // A TLD is the registries' zone, at their own PowerDNS; every other zone at the hosters'.
        HttpResponse<String> response = api(zone.contains(".") ? "powerdnsApi" : "registryApi", "PATCH", "/zones/" + zone + ".", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        return api("powerdnsApi", method, path, body);
    }

    private HttpResponse<String> api(String which, String method, String path, String body) throws Exception {
        JsonNode api = endpoints.path(which);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.path("url").asString() + "/servers/localhost" + path))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
