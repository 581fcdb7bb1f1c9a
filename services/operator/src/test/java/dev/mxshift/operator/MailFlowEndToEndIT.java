package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.lab.mailflow.MailFlowRecorder;
import dev.mxshift.lab.mailflow.MailFlowReport;
import dev.mxshift.lab.mailflow.MailFlowReport.Fate;
import dev.mxshift.lab.mailflow.MailSubmitter;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.system.LabServiceConfig;
import dev.mxshift.operator.system.Service;
import dev.mxshift.operator.system.ServiceFleet;
import dev.mxshift.service.KafkaClientSettings;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mail-flow proof at CI size: the lab's DANE-validating sender mails twenty domains every two seconds from their
 * import until every one has settled, while the four services move them as an operator runs them; the push service is
 * killed with SIGKILL mid-move and started again, and an operator rolls one domain back. Afterwards the sender's and
 * the endpoints' logs must show every message stored exactly once, none bounced or lost, every completed domain's last
 * messages DANE-verified at the new host, the blocked domain's mail at the legacy host throughout, and the rolled-back
 * domain's mail back at the legacy host.
 */
class MailFlowEndToEndIT {

    /** Signed zones that complete: their mail must end DANE-verified at the mx.microsoft host. */
    private static final DomainName SIGNED = DomainName.of("contoso.com");
    private static final DomainName SIGNED_PREF10 = DomainName.of("fabrikam.com");
    /** An unsigned zone: blocked by the default policy, its MX is never touched. */
    private static final DomainName BLOCKED = DomainName.of("northwind.net");
    /** Completes, then an operator rolls it back: its mail must go back to the legacy host. */
    private static final DomainName ROLLED_BACK = DomainName.of("adatum.com");
    /** Migrated before mxshift came: verified at the new host from the first message. */
    private static final DomainName ALREADY = DomainName.of("litware.com");
    private static final List<DomainName> NAMED = List.of(SIGNED, SIGNED_PREF10, BLOCKED, ROLLED_BACK, ALREADY);
    /** The lab's synthetic tenants, all of scenarios that complete: t1-eligible-signed.com, ... */
    private static final int SYNTHETIC = 15;
    private static final List<DomainName> DOMAINS = new ArrayList<>();
    /** The sender stops by itself after this long, whatever the test does. */
    private static final Duration SENDER_LIMIT = Duration.ofMinutes(6);

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
        String bootstrap = KafkaTestBroker.bootstrapServers();
        fleet = new ServiceFleet(root, dir.resolve("services"), LabServiceConfig.arguments(lab.endpointsFile(), dir.resolve("secrets"),
                bootstrap, new LabServiceConfig.Topics(EVENTS.name(), STATE.name(), EVENTS.name() + ".dlt."), 1000), "320m")
                .jvmOptions(ServiceFleet.QUICK_START).stopOnExit();
        log = new EventLog(KafkaClientSettings.plaintext(bootstrap), EVENTS.name(), STATE.name());
        fleet.startAll(List.of(Service.DISCOVERY, Service.VALIDATION, Service.RECORD_GENERATION, Service.DNS_PUSH), 0, Duration.ofSeconds(180));
    }

    @AfterAll
    static void systemDown() {
        if (fleet != null) {
            fleet.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyMessageArrivesExactlyOnceWhileDomainsMoveAndRollBack() throws Exception {
        JsonNode endpoints = lab.endpoints();
        MailSubmitter submitter = MailSubmitter.fromEndpoints(endpoints);
        MailFlowRecorder recorder = MailFlowRecorder.fromEndpoints(endpoints);
        List<MailFlowRecorder.Submitted> sent = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        Instant senderDeadline = Instant.now().plus(SENDER_LIMIT);
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        Instant started = Instant.now();
        Map<DomainName, MigrationState> finalStates;
        try {
            sender.scheduleAtFixedRate(() -> {
                if (Instant.now().isAfter(senderDeadline)) {
                    sender.shutdown();
                    return;
                }
                for (DomainName d : DOMAINS) {
                    try {
                        sent.add(submitter.send("postmaster@" + d.value()));
                    } catch (IOException e) {
                        refused.add(d + ": " + e.getMessage());
                    }
                }
            }, 0, 2, TimeUnit.SECONDS);

            ImportCommand.Result result = ImportCommand.importFiles(List.of(inventory), KafkaTestBroker.bootstrapServers(), EVENTS.name(), "mailflow");
            assertThat(result.imported()).isEqualTo(DOMAINS.size());
            // kill -9 of the service that writes DNS, once some domain's MX has changed and others have not yet.
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> log.snapshot().states().values()
                    .stream().anyMatch(s -> s.status() == WorkflowStatus.MIGRATING && s.stepIndex() > 0));
            fleet.kill(Service.DNS_PUSH, 0);
            System.out.println("killed " + Service.DNS_PUSH + " with SIGKILL at " + Instant.now());
            fleet.start(Service.DNS_PUSH, 0, Duration.ofSeconds(180));
            Map<DomainName, MigrationState> states = settle(Duration.ofSeconds(240));
            assertThat(states.get(SIGNED).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(states.get(SIGNED_PREF10).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(states.get(ROLLED_BACK).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(states.get(BLOCKED).status()).isEqualTo(WorkflowStatus.BLOCKED);
            // Mail reaches the moved domain's new host before the operator takes it back.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> recorder.report(sent).domains().get(ROLLED_BACK.value())
                    .lastEndpoint().endsWith(" target"));

            OperatorCli rollback = OperatorCli.run(EVENTS.name(), STATE.name(), "rollback", ROLLED_BACK.value(), "--reason", "mail-flow test");
            assertThat(rollback.code()).as(rollback.all()).isZero();
            states = settle(Duration.ofSeconds(120));
            assertThat(states.get(ROLLED_BACK).status()).isEqualTo(WorkflowStatus.ROLLED_BACK);
            finalStates = states;
            Instant settled = Instant.now();
            // Mail sent after every domain settled (and the sender's 3 s cache turned over) shows the end state.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> recorder.report(sent).outcomes().stream()
                    .filter(o -> o.message().at().isAfter(settled.plusSeconds(5)) && o.fate() == Fate.DELIVERED).count() >= 2L * DOMAINS.size());
        } finally {
            sender.shutdownNow();
            assertThat(sender.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        MailFlowReport report = Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                .until(() -> recorder.report(sent), r -> r.pending() == 0);
        System.out.printf("%s%n(%d s from the first message)%n", report, Duration.between(started, Instant.now()).toSeconds());

        assertThat(refused).as("submissions the sender refused").isEmpty();
        assertThat(report.count(Fate.BOUNCED)).as(report.toString()).isZero();
        assertThat(report.count(Fate.LOST)).as(report.toString()).isZero();
        assertThat(report.count(Fate.DUPLICATED)).as(report.toString()).isZero();
        assertThat(report.count(Fate.DELIVERED)).isEqualTo(report.sent());
        assertThat(report.deferrals()).as("deferrals").isEmpty();
        Map<String, MailFlowReport.DomainFlow> domains = report.domains();
        List<DomainName> completed = finalStates.values().stream().filter(s -> s.status() == WorkflowStatus.COMPLETED)
                .map(MigrationState::domain).toList();
        assertThat(completed).as("completed").hasSizeGreaterThanOrEqualTo(2 + SYNTHETIC);
        for (DomainName d : completed) {
            MailFlowReport.DomainFlow flow = domains.get(d.value());
            assertThat(flow.endpoints()).as(d + ": " + report).containsExactly(endpoint(endpoints, "legacy"), endpoint(endpoints, "target"));
            assertThat(flow.lastDaneVerified()).as(d + ": " + report).isTrue();
        }
        assertThat(domains.get(BLOCKED.value()).endpoints()).containsExactly(endpoint(endpoints, "legacy"));
        assertThat(domains.get(BLOCKED.value()).lastDaneVerified()).isFalse();
        assertThat(domains.get(ROLLED_BACK.value()).endpoints()).as(report.toString())
                .containsExactly(endpoint(endpoints, "legacy"), endpoint(endpoints, "target"), endpoint(endpoints, "legacy"));
        assertThat(domains.get(ALREADY.value()).endpoints()).containsExactly(endpoint(endpoints, "target"));
        assertThat(domains.get(ALREADY.value()).lastDaneVerified()).isTrue();
    }

    private static String endpoint(JsonNode endpoints, String role) {
        for (JsonNode smtp : endpoints.path("smtp")) {
            if (smtp.path("role").asString().equals(role)) {
                return smtp.path("address").asString() + ":" + smtp.path("port").asInt() + " " + role;
            }
        }
        throw new IllegalArgumentException("no SMTP endpoint " + role + " in endpoints.json");
    }

    /** Waits until every domain has settled, confirming Microsoft-side actions as an operator would. */
    private static Map<DomainName, MigrationState> settle(Duration patience) {
        Predicate<Map<DomainName, MigrationState>> done = states -> {
            if (states.values().stream().anyMatch(s -> Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation)) {
                OperatorCli confirm = OperatorCli.run(EVENTS.name(), STATE.name(), "confirm", "--awaiting-confirmation", "--by", "mailflow", "--wait", "10");
                assertThat(confirm.code()).as(confirm.all()).isIn(0, 1);
            }
            return states.size() == DOMAINS.size() && states.values().stream().allMatch(WatchCommand::settled);
        };
        return Awaitility.await().atMost(patience).pollInterval(Duration.ofSeconds(1)).until(() -> log.snapshot().states(), done);
    }
}
