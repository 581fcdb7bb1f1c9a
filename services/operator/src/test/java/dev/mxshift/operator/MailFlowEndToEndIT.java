package dev.mxshift.operator;

import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.testsupport.Closing;
import dev.mxshift.testsupport.TestTopics;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mail-flow proof at CI size, as the demo runs it: {@code watch --mail} imports twenty-one domains and has the lab's
 * DANE-validating sender mail each every two seconds from before the import until every one has settled, while the four
 * services move them; the push service is killed with SIGKILL mid-move and started again; the watcher freezes one zone
 * at BIND so that its write is refused, then thaws and replays it, and rolls one completed domain back. The watch's
 * report, from the sender's and the endpoints' logs, must show every message stored exactly once, none bounced or lost,
 * every completed domain's last messages DANE-verified at the new host, the blocked domain's mail at the legacy host
 * throughout, the replayed domain's mail at the legacy host while it was stopped, and the rolled-back domain's mail back
 * at the legacy host.
 */
class MailFlowEndToEndIT {

    /** Signed zones that complete: their mail must end DANE-verified at the mx.microsoft host. */
    private static final DomainName SIGNED = DomainName.of("contoso.com");
    private static final DomainName SIGNED_PREF10 = DomainName.of("fabrikam.com");
    /** An unsigned zone: blocked by the default policy, its MX is never touched. */
    private static final DomainName BLOCKED = DomainName.of("northwind.net");
    /** Completes; like every completed domain but the replayed one, it may be the one the watcher rolls back. */
    private static final DomainName SIGNED_ADATUM = DomainName.of("adatum.com");
    /** Migrated before mxshift came: verified at the new host from the first message. */
    private static final DomainName ALREADY = DomainName.of("litware.com");
    /** At the lab's BIND: the watcher freezes its zone, so the push service's write is refused; then thaws and replays it. */
    private static final DomainName REPLAYED = DomainName.of("alpineskihouse.com");
    private static final List<DomainName> NAMED = List.of(SIGNED, SIGNED_PREF10, BLOCKED, SIGNED_ADATUM, ALREADY, REPLAYED);
    /** The lab's synthetic tenants, all of scenarios that complete: t1-eligible-signed.com, ... */
    private static final int SYNTHETIC = 15;
    private static final List<DomainName> DOMAINS = new ArrayList<>();

    private static final TopicSpec EVENTS = TestTopics.unique(TopicCatalogue.defaults().events());
    private static final TopicSpec STATE = EVENTS.named(EVENTS.name().replace("events", "state"));

    private static LabRun lab;
    private static ServiceFleet fleet;
    private static EventLog log;
    private static Path inventory;

    @BeforeAll
    static void systemUp() throws Exception {
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/mailflow-e2e");
        lab = LabRun.up(dir.resolve("lab"), "--tenants", Integer.toString(SYNTHETIC),
                "--mix", "eligible-signed=2,eligible-pref10=1,legacy-eo=1");
        DOMAINS.addAll(NAMED);
        lab.tenants().stream().map(t -> DomainName.of(t.path("domain").asString()))
                .filter(d -> d.value().matches("t\\d+-.*")).forEach(DOMAINS::add);
        assertThat(DOMAINS).hasSize(NAMED.size() + SYNTHETIC);
        List<String> rows = Files.readAllLines(lab.inventoryFile());
        List<String> chosen = new ArrayList<>(List.of(rows.get(0)));
        rows.stream().skip(1).filter(r -> !r.isBlank() && DOMAINS.contains(DomainName.of(r.split(",")[1]))).forEach(chosen::add);
        assertThat(chosen).hasSize(DOMAINS.size() + 1);
        Files.createDirectories(dir);
        inventory = Files.write(dir.resolve("mailflow.csv"), chosen);
        fleet = EndToEnd.fleet(dir, EndToEnd.arguments(lab, dir, EVENTS, STATE));
        log = EndToEnd.eventLog(EVENTS, STATE);
        fleet.startAll(List.of(Service.DISCOVERY, Service.VALIDATION, Service.RECORD_GENERATION, Service.DNS_PUSH), 0, Duration.ofSeconds(180));
    }

    @AfterAll
    static void systemDown() throws Exception {
        Closing.closeAll(fleet, lab);
    }

    @Test
    void watchMailShowsEveryMessageArrivingExactlyOnceWhileDomainsMoveAreReplayedAndRollBack() throws Exception {
        Path details = lab.endpointsFile().resolveSibling("mailflow-domains.json");
        Instant started = Instant.now();
        CompletableFuture<OperatorCli> watch = CompletableFuture.supplyAsync(() -> OperatorCli.run(EVENTS.name(), STATE.name(), "watch",
                "--expect", Integer.toString(DOMAINS.size()), "--confirm-external", "--interval", "1", "--timeout", "300",
                "--import", inventory.toString(), "--mail", lab.endpointsFile().toString(), "--mail-interval", "2",
                "--mail-details", details.toString()));
        // kill -9 of the service that writes DNS, once some domain's MX has changed and others have not yet.
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> watch.isDone() || log.snapshot()
                .states().values().stream().anyMatch(s -> s.status() == WorkflowStatus.MIGRATING && s.stepIndex() > 0));
        assertThat(watch).as("the watch ended before any domain moved").isNotDone();
        fleet.kill(Service.DNS_PUSH, 0);
        System.out.println("killed " + Service.DNS_PUSH + " with SIGKILL at " + Instant.now());
        fleet.start(Service.DNS_PUSH, 0, Duration.ofSeconds(180));

        OperatorCli run = watch.get(8, TimeUnit.MINUTES);
        System.out.printf("%s%n(%d s from the first message)%n", run.all(), Duration.between(started, Instant.now()).toSeconds());
        assertThat(run.code()).as(run.all()).isZero();
        String line = run.out().lines().filter(l -> l.startsWith("mail flow: ")).reduce((a, b) -> b).orElseThrow();
        Matcher m = Pattern.compile("mail flow: 0 bounced, 0 lost, 0 duplicated, (\\d+) DANE-verified \\(of (\\d+) domains completed in a signed"
                + " zone\\); (\\d+) sent to (\\d+) domains, (\\d+) delivered once, 0 deferral\\(s\\), 1 replayed after a refused write").matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));
        assertThat(Integer.parseInt(m.group(1))).as("completed in a signed zone").isGreaterThanOrEqualTo(3 + SYNTHETIC);
        assertThat(m.group(5)).as("every message sent delivered once").isEqualTo(m.group(3));
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(DOMAINS.size());
        assertThat(run.out()).contains("replayed after a refused write: " + REPLAYED.value() + " (")
                .contains("delivered at legacy; thawed and replayed from the failing step: COMPLETED, last delivery target DANE-verified")
                .contains("rolled back: 1 domain(s), their mail back at the endpoint it went to before the move")
                .doesNotContain("PROBLEM");
        assertThat(run.err()).contains("thawed " + REPLAYED.value() + " and replaying it (its mail reached the legacy host while it was stopped)")
                .contains("rolling back ");

        // The replay went the operator's way: the provider refused the write, the domain failed, the replay completed it.
        List<EventEnvelope> history = log.history(REPLAYED);
        assertThat(history.stream().map(EventEnvelope::type).toList()).containsSubsequence("StepApplyFailed", "RetryRequested", "StepApplied",
                "MigrationCompleted");
        assertThat(history.stream().filter(e -> e.payload() instanceof StepApplyFailed).map(e -> e.payload().toString()).findFirst())
                .hasValueSatisfying(f -> assertThat(f).contains("REFUSED"));

        Map<String, JsonNode> domains = new HashMap<>();
        Json.MAPPER.readTree(Files.readString(details)).forEach(d -> domains.put(d.path("domain").asString(), d));
        List<String> rolledBack = domains.values().stream().filter(d -> d.path("status").asString().equals("ROLLED_BACK"))
                .map(d -> d.path("domain").asString()).toList();
        assertThat(rolledBack).as("the watcher rolls one domain back").hasSize(1).doesNotContain(REPLAYED.value(), ALREADY.value());
        for (DomainName d : DOMAINS) {
            JsonNode mail = domains.get(d.value());
            assertThat(mail).as(d.value()).isNotNull();
            List<String> roles = roles(mail);
            if (d.equals(BLOCKED)) {
                assertThat(mail.path("status").asString()).isEqualTo("BLOCKED");
                assertThat(roles).containsExactly("legacy");
            } else if (d.equals(ALREADY)) {
                assertThat(roles).containsExactly("target");
                assertThat(mail.path("lastTls").asString()).isEqualTo("Verified");
            } else if (rolledBack.contains(d.value())) {
                assertThat(roles).as(d + ": " + mail).containsExactly("legacy", "target", "legacy");
            } else {
                assertThat(mail.path("status").asString()).as(d.value()).isEqualTo("COMPLETED");
                assertThat(roles).as(d + ": " + mail).containsExactly("legacy", "target");
                assertThat(mail.path("lastTls").asString()).as(d + ": " + mail).isEqualTo("Verified");
            }
        }
        assertThat(domains.get(REPLAYED.value()).path("before").toString() + domains.get(REPLAYED.value()).path("during"))
                .as("mail went on to the legacy host while the replayed domain was stopped").contains("legacy");
    }

    /** The endpoint roles a domain's mail went to, before, during and after its move, each run of one role once. */
    private static List<String> roles(JsonNode mail) {
        List<String> all = new ArrayList<>();
        for (String phase : List.of("before", "during", "after")) {
            mail.path(phase).forEach(r -> {
                if (all.isEmpty() || !all.get(all.size() - 1).equals(r.asString())) {
                    all.add(r.asString());
                }
            });
        }
        return all;
    }
}
