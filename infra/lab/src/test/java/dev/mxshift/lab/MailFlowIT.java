package dev.mxshift.lab;

import dev.mxshift.lab.mailflow.MailFlowRecorder;
import dev.mxshift.lab.mailflow.MailFlowReport;
import dev.mxshift.lab.mailflow.MailFlowReport.Fate;
import dev.mxshift.lab.mailflow.MailSubmitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lab's mail servers as the mail-flow proof uses them: the DANE-validating sender mails lab domains once a second
 * while a domain's MX is moved by hand through the PowerDNS API, and the recorder says where every message went and
 * over what TLS; and a domain whose MX set is taken away shows in the report as mail that did not arrive, so the
 * proof is known to be able to fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailFlowIT {

    private final Path dir = LabRun.repositoryRoot().resolve("infra/lab/target/lab-mailflow");
    private LabRun lab;
    private JsonNode endpoints;
    private Map<String, JsonNode> tenants;
    private MailSubmitter submitter;
    private MailFlowRecorder recorder;

    @BeforeAll
    void up() {
        lab = LabRun.up(dir);
        endpoints = lab.endpoints();
        tenants = lab.tenants().stream().collect(Collectors.toMap(t -> t.path("domain").asString(), t -> t));
        submitter = MailSubmitter.fromEndpoints(endpoints);
        recorder = MailFlowRecorder.fromEndpoints(endpoints);
    }

    @AfterAll
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void mailFollowsAnMxMovedInTheSafeOrderArrivesOnceAndEndsDaneVerifiedAtTheNewHost() throws Exception {
        String moved = "contoso.com";
        String unsigned = "northwind.net";
        String migrated = "litware.com";
        String legacy = host(moved, "legacyHost");
        String target = host(moved, "targetHost");
        List<MailFlowRecorder.Submitted> sent = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try {
            sender.scheduleAtFixedRate(() -> {
                for (String domain : List.of(moved, unsigned, migrated)) {
                    try {
                        sent.add(submitter.send("postmaster@" + domain));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveredAt(sent, moved, "legacy") >= 2);
            // The plan's order: the new MX beside the legacy one (preferred), then the legacy one goes.
            replaceMx(moved, "0 " + target, "10 " + legacy);
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveredAt(sent, moved, "target") >= 2);
            replaceMx(moved, "0 " + target);
            Instant finalMx = Instant.now();
            // The sender's resolver caches for at most 3 s: everything sent 5 s after the last change is at the new host.
            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.report(sent).outcomes().stream()
                    .filter(o -> o.message().domain().equals(moved) && o.message().at().isAfter(finalMx.plusSeconds(5))
                            && o.fate() == Fate.DELIVERED).count() >= 3);
        } finally {
            sender.shutdownNow();
            assertThat(sender.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        MailFlowReport report = settled(sent, Duration.ofSeconds(150));
        System.out.println(report);

        assertThat(report.sent()).isGreaterThanOrEqualTo(15);
        assertThat(report.count(Fate.DELIVERED)).as(report.toString()).isEqualTo(report.sent());
        assertThat(report.count(Fate.BOUNCED) + report.count(Fate.LOST) + report.count(Fate.DUPLICATED)).isZero();
        Map<String, MailFlowReport.DomainFlow> domains = report.domains();
        assertThat(domains.get(moved).endpoints()).as(report.toString()).containsExactly(endpoint("legacy"), endpoint("target"));
        assertThat(domains.get(moved).lastDaneVerified()).as(report.toString()).isTrue();
        assertThat(domains.get(migrated).endpoints()).containsExactly(endpoint("target"));
        assertThat(domains.get(migrated).lastDaneVerified()).isTrue();
        // An unsigned zone's MX is not DNSSEC-secure, so the sender falls back to opportunistic TLS (RFC 7672 section 2.2).
        assertThat(domains.get(unsigned).endpoints()).containsExactly(endpoint("legacy"));
        assertThat(domains.get(unsigned).lastTls()).isEqualTo("Untrusted");
        assertThat(report.outcomes()).allSatisfy(o -> assertThat(o.deliveries().get(0).tls()).as("%s", o).startsWith("TLSv1."));
    }

    @Test
    void mailToADomainWhoseMxSetIsTakenAwayIsNotDeliveredAndTheReportSaysSo() throws Exception {
        String domain = "fabrikam.com";
        String legacy = host(domain, "legacyHost");
        List<MailFlowRecorder.Submitted> sent = new CopyOnWriteArrayList<>();
        sent.add(submitter.send("postmaster@" + domain));
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.report(sent).count(Fate.DELIVERED) == 1);

        // The wrong order: the legacy MX removed before any new one exists. The sender sees the empty set within its
        // resolver's 3 s cache, and every message after that fails.
        deleteMx(domain);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                sent.add(submitter.send("postmaster@" + domain));
                MailFlowReport r = recorder.report(sent);
                return r.count(Fate.BOUNCED) + r.deferrals().size() > 0;
            });
        } finally {
            replaceMx(domain, "10 " + legacy);
        }
        MailFlowReport report = recorder.report(sent);
        System.out.println(report);
        // No MX and no address record: the sender has nowhere to go (RFC 5321 section 5.1) and bounces at once.
        assertThat(report.count(Fate.BOUNCED)).as(report.toString()).isPositive();
        assertThat(report.outcomes()).filteredOn(o -> o.fate() == Fate.BOUNCED)
                .allSatisfy(o -> assertThat(o.attempts().get(o.attempts().size() - 1).reason()).contains("Host or domain name not found"));
        assertThat(report.summary()).contains(report.count(Fate.BOUNCED) + " bounced");
    }

    @Test
    void mailToANewHostThatWasNeverVerifiedIsDeferredUntilTheLegacyMxIsBack() throws Exception {
        // The wrong order again: the legacy MX replaced at once by the new host, unverified; this one presents a
        // certificate its TLSA records do not describe, so a DANE sender refuses to hand it mail (RFC 7672 section 2.2).
        String domain = "graphicdesigninstitute.com";
        String legacy = host(domain, "legacyHost");
        String target = host(domain, "targetHost");
        List<MailFlowRecorder.Submitted> sent = new CopyOnWriteArrayList<>();
        replaceMx(domain, "0 " + target);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                sent.add(submitter.send("postmaster@" + domain));
                return !recorder.report(sent).deferrals().isEmpty();
            });
        } finally {
            replaceMx(domain, "0 " + legacy);
        }
        // Put back, the legacy MX takes what the sender kept queued, on its next retry, once.
        MailFlowReport report = settled(sent, Duration.ofSeconds(60));
        System.out.println(report);
        assertThat(report.deferrals()).as(report.toString()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.relay()).isEqualTo(target.substring(0, target.length() - 1));
            assertThat(d.reason()).containsIgnoringCase("certificate");
        });
        assertThat(report.count(Fate.BOUNCED) + report.count(Fate.LOST) + report.count(Fate.DUPLICATED)).isZero();
        assertThat(report.domains().get(domain).lastEndpoint()).isEqualTo(endpoint("legacy"));
        assertThat(report.summary()).contains(report.deferrals().size() + " deferrals");
    }

    /** The report once every message has its final word; if that takes longer than {@code limit}, fails showing it. */
    private MailFlowReport settled(List<MailFlowRecorder.Submitted> sent, Duration limit) {
        try {
            return await().atMost(limit).until(() -> recorder.report(sent), MailFlowReport::settled);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            MailFlowReport last = recorder.report(sent);
            throw new AssertionError("the mail flow did not settle within " + limit.toSeconds() + " s (" + last.pending() + " queued, "
                    + last.unlogged() + " stored but not logged, " + last.unstored() + " sent but not stored): " + last, e);
        }
    }

    private String host(String domain, String field) {
        return tenants.get(domain).path(field).asString() + ".";
    }

    private String endpoint(String role) {
        for (JsonNode smtp : endpoints.path("smtp")) {
            if (smtp.path("role").asString().equals(role)) {
                return smtp.path("address").asString() + ":" + smtp.path("port").asInt() + " " + role;
            }
        }
        throw new IllegalArgumentException("no SMTP endpoint " + role + " in endpoints.json");
    }

    private long deliveredAt(List<MailFlowRecorder.Submitted> sent, String domain, String role) {
        return recorder.report(sent).outcomes().stream().filter(o -> o.message().domain().equals(domain))
                .flatMap(o -> o.deliveries().stream()).filter(d -> d.endpoint().equals(endpoint(role))).count();
    }

    private void replaceMx(String domain, String... records) throws Exception {
        String contents = java.util.Arrays.stream(records).map(r -> "{\"content\":\"" + r + "\",\"disabled\":false}")
                .collect(Collectors.joining(","));
        patch(domain, "{\"rrsets\":[{\"name\":\"" + domain + ".\",\"type\":\"MX\",\"ttl\":3600,\"changetype\":\"REPLACE\",\"records\":["
                + contents + "]}]}");
    }

    private void deleteMx(String domain) throws Exception {
        patch(domain, "{\"rrsets\":[{\"name\":\"" + domain + ".\",\"type\":\"MX\",\"changetype\":\"DELETE\"}]}");
    }

    private void patch(String domain, String body) throws Exception {
        JsonNode api = endpoints.path("powerdnsApi");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.path("url").asString() + "/servers/localhost/zones/" + domain + "."))
                .header("X-API-Key", api.path("apiKey").asString())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }
}
