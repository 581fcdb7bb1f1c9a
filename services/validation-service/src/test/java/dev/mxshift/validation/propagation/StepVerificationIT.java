package dev.mxshift.validation.propagation;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StepPurpose;
import dev.mxshift.validation.dane.DaneCheck;
import dev.mxshift.validation.dnssec.DnssecValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Post-step verification against the lab's real servers: every authoritative server of the zone is asked
 * directly; a change made through PowerDNS's API is verified on PowerDNS and, through NOTIFY, on its BIND
 * secondary; a step that brings Microsoft's new host in needs its DANE to pass; a set that is not what the step
 * left, or a zone with expired signatures, fails with each server's answer as evidence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepVerificationIT {

    private LabRun lab;
    private JsonNode endpoints;
    private PropagationCheck propagation;
    private DaneCheck dane;

    @BeforeAll
    void up() throws Exception {
        lab = LabRun.up(LabRun.repositoryRoot().resolve("services/validation-service/target/lab-steps"));
        endpoints = lab.endpoints();
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(endpoints.path("resolver").path("address").asString(),
                endpoints.path("resolver").path("port").asInt()));
        resolver.setTimeout(Duration.ofSeconds(10));
        Map<String, Integer> ports = new HashMap<>();
        endpoints.path("authoritative").forEach(s -> ports.put(s.path("address").asString(), s.path("port").asInt()));
        propagation = new PropagationCheck(new AuthoritativeServers(resolver, ports), Duration.ofSeconds(5), Clock.systemUTC());
        dane = new DaneCheck(new DnssecValidator(resolver, Files.readString(Path.of(endpoints.path("trustAnchorFile").asString()))),
                25, Duration.ofSeconds(20), Clock.systemUTC());
    }

    @AfterAll
    void down() {
        lab.close();
    }

    @Test
    void aChangeThroughThePrimaryIsVerifiedOnEveryServerAndTheNewHostMustPassDane() throws Exception {
        DomainName domain = DomainName.of("firstupconsultants.com");
        DomainName legacy = DomainName.of("firstupconsultants-com.mail.protection.outlook.com");
        DomainName target = DomainName.of(tenant(domain).path("targetHost").asString());
        MxRecordSet before = MxRecordSet.of(domain, 3600, new MxRecord(0, legacy));
        MxRecordSet after = MxRecordSet.of(domain, 3600, new MxRecord(0, legacy), new MxRecord(20, target));
        PlanStep.ChangeMx addTarget = new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, before, after);

        MigrationEvent notYet = verify(domain, addTarget, target);
        assertThat(notYet).isInstanceOf(StepVerificationFailed.class);
        assertThat(((StepVerificationFailed) notYet).reason()).contains("serves").contains("not");

        patchMx(domain, after);
        MigrationEvent verified = awaitVerified(domain, addTarget, target);
        assertThat(verified).as("%s", verified).isInstanceOf(StepVerified.class);
        List<Evidence> evidence = ((StepVerified) verified).evidence();
        assertThat(evidence).extracting(Evidence::source).anySatisfy(s -> assertThat(s).startsWith("ns1.lab-dns.net"))
                .anySatisfy(s -> assertThat(s).startsWith("bind.lab-dns.net")).anySatisfy(s -> assertThat(s).startsWith("DANE " + target));
        assertThat(evidence).filteredOn(e -> e.source().contains("lab-dns.net")).allSatisfy(e ->
                assertThat(e.observation()).contains("signature valid"));
    }

    @Test
    void aTargetWhoseCertificateMatchesNoTlsaIsNotVerifiedEvenWhenTheDnsIs() throws Exception {
        DomainName domain = DomainName.of("graphicdesigninstitute.com");
        DomainName legacy = DomainName.of("graphicdesigninstitute-com.mail.protection.outlook.com");
        DomainName target = DomainName.of(tenant(domain).path("targetHost").asString());
        MxRecordSet after = MxRecordSet.of(domain, 3600, new MxRecord(0, legacy), new MxRecord(20, target));
        patchMx(domain, after);
        MigrationEvent result = awaitVerified(domain, new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX,
                MxRecordSet.of(domain, 3600, new MxRecord(0, legacy)), after), target);
        assertThat(result).isInstanceOf(StepVerificationFailed.class);
        assertThat(((StepVerificationFailed) result).reason()).contains("does not pass DANE (Failed)");
    }

    @Test
    void expiredSignaturesFailVerificationWithTheServersWords() throws Exception {
        DomainName domain = DomainName.of("expired-signatures.com");
        MxRecordSet current = MxRecordSet.of(domain, 3600, new MxRecord(0, DomainName.of("expired-signatures-com.mail.protection.outlook.com")));
        MxRecordSet earlier = current.withTtl(300);
        MigrationEvent result = verify(domain, new PlanStep.ChangeMx(StepPurpose.RESTORE_MX_TTL, earlier, current), null);
        assertThat(result).isInstanceOf(StepVerificationFailed.class);
        assertThat(((StepVerificationFailed) result).reason()).contains("bad signature").contains("expired");
    }

    /** Waits (up to 20 s) until every server serves the step's records, then verifies the step once, DANE included. */
    private MigrationEvent awaitVerified(DomainName domain, PlanStep step, DomainName target) throws Exception {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(verify(domain, step, null)).as("every server serves the step's records").isInstanceOf(StepVerified.class));
        return verify(domain, step, target);
    }

    private MigrationEvent verify(DomainName domain, PlanStep step, DomainName target) throws Exception {
        StepVerifier.Expectation expected = StepVerifier.expectationOf(step, target);
        assertThat(expected.daneHost()).isEqualTo(target);
        Name zone = Name.fromString(domain.value() + ".");
        List<ServerAnswer> answers = propagation.ask(zone, Name.fromString(expected.owner() + "."), Type.value(expected.type()));
        DaneCheck.Report report = expected.daneHost() == null ? null : dane.check(expected.daneHost());
        return StepVerifier.decide(Direction.FORWARD, 0, expected, answers, 0, report);
    }

    private JsonNode tenant(DomainName domain) {
        return lab.tenants().stream().filter(t -> t.path("domain").asString().equals(domain.value())).findFirst().orElseThrow();
    }

    private void patchMx(DomainName domain, MxRecordSet set) throws Exception {
        JsonNode api = endpoints.path("powerdnsApi");
        StringBuilder records = new StringBuilder();
        for (MxRecord record : set.records()) {
            records.append(records.length() == 0 ? "" : ",").append("{\"content\":\"").append(record.rdata()).append("\",\"disabled\":false}");
        }
        String body = "{\"rrsets\":[{\"name\":\"" + domain.value() + ".\",\"type\":\"MX\",\"ttl\":" + set.ttl()
                + ",\"changetype\":\"REPLACE\",\"records\":[" + records + "]}]}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/" + domain.value() + "."))
                .header("X-API-Key", api.path("apiKey").asString()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }
}
