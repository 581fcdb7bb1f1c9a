package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.LabRun;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.serde.EventCodec;
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
import dev.mxshift.service.TopicToEnd;
import dev.mxshift.testsupport.KafkaTestBroker;
import dev.mxshift.testsupport.TestTopics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crashes during a 500-domain migration over the lab: a random service process is killed with SIGKILL five times
 * (and started again) while domains move. Afterwards every domain has settled, every completed domain's DNS is its
 * plan's final state, PowerDNS received each planned write exactly once (counted by a proxy in front of its API),
 * every domain's history is gap-free, and no dead letter was written.
 */
class CrashRecoveryIT {

    private static final int SYNTHETIC_TENANTS = 475;
    private static final int KILLS = 5;

    @Test
    void killedServicesResumeAndEveryDomainEndsOnceAndRight() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("CrashRecoveryIT seed " + seed);
        Path root = LabRun.repositoryRoot();
        Path dir = root.resolve("services/operator/target/crash");
        TopicSpec events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = events.named(events.name().replace("events", "state"));
        String deadLetters = events.name() + ".dlt.";
        String bootstrap = KafkaTestBroker.bootstrapServers();
        EventLog log = new EventLog(KafkaClientSettings.plaintext(bootstrap), events.name(), state.name());

        try (LabRun lab = LabRun.up(dir.resolve("lab"), "--tenants", Integer.toString(SYNTHETIC_TENANTS));
             CountingProxy proxy = new CountingProxy(URI.create(lab.endpoints().path("powerdnsApi").path("url").asString()))) {
            Map<Service, List<String>> args = LabServiceConfig.arguments(lab.endpointsFile(), dir.resolve("secrets"), bootstrap,
                    new LabServiceConfig.Topics(events.name(), state.name(), deadLetters), 1000);
            args.get(Service.DNS_PUSH).replaceAll(a -> a.startsWith("--mxshift.push.connectors[0].settings.url=")
                    ? "--mxshift.push.connectors[0].settings.url=" + proxy.url() : a);
            Map<String, JsonNode> tenants = new HashMap<>();
            lab.tenants().forEach(t -> tenants.put(t.path("domain").asString(), t));
            try (ServiceFleet fleet = new ServiceFleet(root, dir.resolve("services"), args, "320m")) {
                for (Service s : Service.values()) {
                    fleet.start(s, 0, Duration.ofSeconds(180));
                }
                ImportCommand.Result imported = ImportCommand.importFiles(List.of(lab.inventoryFile()), bootstrap, events.name(), "crash-test");
                assertThat(imported.imported()).isEqualTo(tenants.size());

                AtomicInteger confirmations = new AtomicInteger();
                List<String> kills = new ArrayList<>();
                for (int k = 0; k < KILLS; k++) {
                    Thread.sleep(2000 + random.nextInt(4000));
                    Service victim = Service.values()[random.nextInt(Service.values().length)];
                    fleet.kill(victim, 0);
                    kills.add(victim.module() + " at " + Instant.now());
                    confirm(log, confirmations);
                    fleet.start(victim, 0, Duration.ofSeconds(180));
                }
                System.out.println("CrashRecoveryIT kills: " + kills);

                Map<DomainName, MigrationState> states = settle(log, tenants.size(), confirmations, Duration.ofSeconds(600));
                Map<WorkflowStatus, Integer> counts = new java.util.EnumMap<>(WorkflowStatus.class);
                states.values().forEach(s -> counts.merge(s.status(), 1, Integer::sum));
                System.out.println("CrashRecoveryIT outcome: " + counts + ", writes " + proxy.writes().values().stream().mapToInt(i -> i).sum());

                assertThat(counts).doesNotContainKeys(WorkflowStatus.FAILED, WorkflowStatus.CONFLICT);
                Map<String, Integer> writes = proxy.writes();
                for (MigrationState s : states.values()) {
                    CatalogueOutcomes.assertEndedAsExpected(s, tenants.get(s.domain().value()).path("scenario").asString());
                    if (s.status() != WorkflowStatus.COMPLETED) {
                        assertThat(writes.getOrDefault(s.domain().value(), 0)).as("writes to " + s.domain() + ", which did not migrate").isZero();
                        continue;
                    }
                    assertThat(LabDns.mx(lab, s.domain())).as("what " + s.domain() + " serves").isEqualTo(new ArrayList<>(new TreeSet<>(s.plan().finalMx().toRecordSet().rdata())));
                    if (!"lab-bind".equals(s.provider().connectorId())) {
                        long planned = s.plan().steps().stream().filter(PlanStep::writes).count();
                        assertThat(writes.getOrDefault(s.domain().value(), 0)).as("PATCHes PowerDNS received for " + s.domain()).isEqualTo((int) planned);
                    }
                }
                assertGapFree(bootstrap, events.name());
                for (Service s : Service.values()) {
                    assertThat(log.records(deadLetters + s.module())).as("dead letters of " + s.module()).isEmpty();
                }
            }
        }
    }

    private static void confirm(EventLog log, AtomicInteger confirmations) {
        EventLog.Snapshot snapshot = log.snapshot();
        List<EventEnvelope> confirm = new ArrayList<>();
        for (MigrationState s : snapshot.states().values()) {
            if (Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation
                    && OperatorAction.CONFIRM.decide(s, "crash-test", null, Instant.now()) instanceof OperatorAction.Append a) {
                confirm.add(a.event());
            }
        }
        if (!confirm.isEmpty()) {
            log.appendAndConfirm(snapshot, confirm, Duration.ofSeconds(2), n -> { });
            confirmations.addAndGet(confirm.size());
        }
    }

    private static Map<DomainName, MigrationState> settle(EventLog log, int domains, AtomicInteger confirmations, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<DomainName, MigrationState> states = Map.of();
        while (System.nanoTime() < deadline) {
            states = log.snapshot().states();
            if (states.size() == domains && states.values().stream().allMatch(WatchCommand::settled)) {
                return states;
            }
            confirm(log, confirmations);
            Thread.sleep(1000);
        }
        StringBuilder b = new StringBuilder();
        states.values().stream().filter(s -> !WatchCommand.settled(s)).limit(20)
                .forEach(s -> b.append('\n').append(s.domain()).append(": ").append(OperatorAction.describe(s)));
        throw new AssertionError(states.size() + " domains; not settled within " + patience.toSeconds() + " s:" + b);
    }

    /** In log order, each domain's counted events run 1, 2, 3, ... without a jump; repeats are allowed and ignored. */
    private static void assertGapFree(String bootstrap, String topic) {
        EventCodec codec = new EventCodec();
        Map<String, Long> latest = new HashMap<>();
        List<String> gaps = new ArrayList<>();
        TopicToEnd.read(KafkaClientSettings.plaintext(bootstrap), topic, p -> true, Duration.ofMinutes(5), record -> {
            EventEnvelope e = codec.decode(record.value());
            long before = latest.getOrDefault(e.domain().value(), 0L);
            if (e.sequence() > before + 1) {
                gaps.add(e.domain() + ": #" + e.sequence() + " after #" + before);
            }
            latest.put(e.domain().value(), Math.max(before, e.sequence()));
        });
        assertThat(gaps).isEmpty();
        assertThat(latest).isNotEmpty();
    }
}
