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
import dev.mxshift.testsupport.TestTopics;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lab migration for tests that disturb it (killed processes, more instances, a broker restart): the lab with
 * synthetic tenants, a proxy counting PowerDNS's writes, the services as processes, the inventory imported; then
 * {@link #settleAndCheck} waits for every domain to settle (confirming Microsoft-side actions as an operator would) and
 * checks what must hold whatever happened: each domain ended where its scenario must, completed domains serve their
 * plan's final MX, PowerDNS received each planned write exactly once, every history is gap-free, no dead letters.
 */
final class DisruptedMigration implements AutoCloseable {

    private final String name;
    private final LabRun lab;
    private final CountingProxy proxy;
    private final ServiceFleet fleet;
    private final EventLog log;
    private final String bootstrap;
    private final TopicSpec events;
    private final String deadLetters;
    private final Map<String, JsonNode> tenants = new HashMap<>();
    private int confirmations;

    DisruptedMigration(String name, int syntheticTenants, String bootstrap, int instancesPerService) throws Exception {
        this.name = name;
        this.bootstrap = bootstrap;
        Path dir = LabRun.repositoryRoot().resolve("services/operator/target").resolve(name);
        events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = events.named(events.name().replace("events", "state"));
        deadLetters = events.name() + ".dlt.";
        log = new EventLog(KafkaClientSettings.plaintext(bootstrap), events.name(), state.name());
        lab = LabRun.up(dir.resolve("lab"), "--tenants", Integer.toString(syntheticTenants));
        CountingProxy counting = null;
        ServiceFleet services = null;
        try {
            lab.tenants().forEach(t -> tenants.put(t.path("domain").asString(), t));
            counting = new CountingProxy(URI.create(lab.endpoints().path("powerdnsApi").path("url").asString()));
            Map<Service, List<String>> args = LabServiceConfig.arguments(lab.endpointsFile(), dir.resolve("secrets"), bootstrap,
                    new LabServiceConfig.Topics(events.name(), state.name(), deadLetters), 1000);
            String proxyUrl = counting.url();
            args.get(Service.DNS_PUSH).replaceAll(a -> a.startsWith("--mxshift.push.connectors[0].settings.url=")
                    ? "--mxshift.push.connectors[0].settings.url=" + proxyUrl : a);
            services = new ServiceFleet(LabRun.repositoryRoot(), dir.resolve("services"), args, "256m").stopOnExit();
            for (int i = 0; i < instancesPerService; i++) {
                for (Service s : Service.values()) {
                    services.start(s, i, Duration.ofSeconds(240));
                }
            }
            ImportCommand.Result imported = ImportCommand.importFiles(List.of(lab.inventoryFile()), bootstrap, events.name(), name);
            assertThat(imported.imported()).isEqualTo(tenants.size());
        } catch (Exception | AssertionError e) {
            // Nothing of a half-made run may outlive it: a lab left up makes every later lab test fail to start.
            if (services != null) {
                services.close();
            }
            if (counting != null) {
                counting.close();
            }
            lab.close();
            throw e;
        }
        proxy = counting;
        fleet = services;
    }

    ServiceFleet fleet() {
        return fleet;
    }

    EventLog log() {
        return log;
    }

    /** Confirms the Microsoft-side action of every domain waiting for it, as an operator would. */
    void confirmWaiting() {
        EventLog.Snapshot snapshot = log.snapshot();
        List<EventEnvelope> confirm = new ArrayList<>();
        for (MigrationState s : snapshot.states().values()) {
            if (Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation
                    && OperatorAction.CONFIRM.decide(s, name, null, Instant.now()) instanceof OperatorAction.Append a) {
                confirm.add(a.event());
            }
        }
        if (!confirm.isEmpty()) {
            log.appendAndConfirm(snapshot, confirm, Duration.ofSeconds(2), n -> { });
            confirmations += confirm.size();
        }
    }

    Map<DomainName, MigrationState> settleAndCheck(Duration patience) throws Exception {
        Map<DomainName, MigrationState> states = settle(patience);
        Map<WorkflowStatus, Integer> counts = new EnumMap<>(WorkflowStatus.class);
        states.values().forEach(s -> counts.merge(s.status(), 1, Integer::sum));
        Map<String, Integer> writes = proxy.writes();
        System.out.println(name + " outcome: " + counts + ", PowerDNS writes " + writes.values().stream().mapToInt(i -> i).sum()
                + ", confirmations " + confirmations);
        for (MigrationState s : states.values()) {
            if (s.status() == WorkflowStatus.FAILED || s.status() == WorkflowStatus.CONFLICT) {
                printHistory(s, writes);
            }
        }
        assertThat(counts).doesNotContainKeys(WorkflowStatus.FAILED, WorkflowStatus.CONFLICT);
        for (MigrationState s : states.values()) {
            CatalogueOutcomes.assertEndedAsExpected(s, tenants.get(s.domain().value()).path("scenario").asString());
            if (s.status() != WorkflowStatus.COMPLETED) {
                assertThat(writes.getOrDefault(s.domain().value(), 0)).as("writes to " + s.domain() + ", which did not migrate").isZero();
                continue;
            }
            assertThat(LabDns.mx(lab, s.domain())).as("what " + s.domain() + " serves")
                    .isEqualTo(new ArrayList<>(new TreeSet<>(s.plan().finalMx().toRecordSet().rdata())));
            if (!"lab-bind".equals(s.provider().connectorId())) {
                long planned = s.plan().steps().stream().filter(PlanStep::writes).count();
                assertThat(writes.getOrDefault(s.domain().value(), 0)).as("PATCHes PowerDNS received for " + s.domain()).isEqualTo((int) planned);
            }
        }
        assertGapFree();
        for (Service s : Service.values()) {
            assertThat(log.records(deadLetters + s.module())).as("dead letters of " + s.module()).isEmpty();
        }
        return states;
    }

    private Map<DomainName, MigrationState> settle(Duration patience) {
        java.util.concurrent.atomic.AtomicReference<Map<DomainName, MigrationState>> seen = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        try {
            return await(name + " settled").atMost(patience).pollInterval(Duration.ofSeconds(1)).until(() -> {
                try {
                    seen.set(log.snapshot().states());
                    if (settled(seen.get())) {
                        return seen.get();
                    }
                    confirmWaiting();
                } catch (RuntimeException e) {
                    System.out.println(name + ": the event log is not readable now (" + e.getMessage() + "); trying again");
                }
                return null;
            }, java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            Map<DomainName, MigrationState> states = seen.get();
            StringBuilder b = new StringBuilder();
            states.values().stream().filter(s -> !WatchCommand.settled(s)).limit(20)
                    .forEach(s -> b.append('\n').append(s.domain()).append(": ").append(OperatorAction.describe(s)));
            throw new AssertionError(states.size() + " domains; not settled within " + patience.toSeconds() + " s:" + b);
        }
    }

    private boolean settled(Map<DomainName, MigrationState> states) {
        return states.size() == tenants.size() && states.values().stream().allMatch(WatchCommand::settled);
    }

    /**
     * Waits until the run has moved on by {@code events} events from now (the events in all domains' histories), or
     * has settled, confirming what waits for the operator meanwhile: a disturbance then lands at a point of the run
     * rather than after a time that means more or less progress depending on the machine.
     */
    void awaitProgress(long events, Duration patience) {
        long from = progress(log.snapshot().states());
        await(name + " moved on by " + events + " events").atMost(patience).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            Map<DomainName, MigrationState> states = log.snapshot().states();
            if (progress(states) >= from + events || settled(states)) {
                return true;
            }
            confirmWaiting();
            return false;
        });
    }

    private static long progress(Map<DomainName, MigrationState> states) {
        return states.values().stream().mapToLong(MigrationState::sequence).sum();
    }

    /** The evidence for a domain that ended where no disturbance may leave it: its whole history and the writes seen. */
    private void printHistory(MigrationState s, Map<String, Integer> writes) {
        StringBuilder b = new StringBuilder(name + ": " + s.domain() + " (" + tenants.get(s.domain().value()).path("scenario").asString()
                + ", provider " + s.provider().connectorId() + ") ended " + OperatorAction.describe(s)
                + "; PowerDNS writes " + writes.getOrDefault(s.domain().value(), 0));
        for (EventEnvelope e : log.history(s.domain())) {
            b.append("\n  #").append(e.sequence()).append(' ').append(e.occurredAt()).append(' ').append(e.type())
                    .append(" id=").append(e.eventId()).append(" cause=").append(e.causationId())
                    .append(": ").append(HistoryCommand.summary(e));
        }
        proxy.writeLog(s.domain().value()).forEach(w -> b.append("\n  PATCH ").append(w));
        System.out.println(b);
    }

    /** In log order, each domain's counted events run 1, 2, 3, ... without a jump; repeats are allowed and ignored. */
    private void assertGapFree() {
        EventCodec codec = new EventCodec();
        Map<String, Long> latest = new HashMap<>();
        Map<String, Integer> completions = new HashMap<>();
        List<String> gaps = new ArrayList<>();
        TopicToEnd.read(KafkaClientSettings.plaintext(bootstrap), events.name(), p -> true, Duration.ofMinutes(5), record -> {
            EventEnvelope e = codec.decode(record.value());
            long before = latest.getOrDefault(e.domain().value(), 0L);
            if (e.sequence() > before + 1) {
                gaps.add(e.domain() + ": #" + e.sequence() + " after #" + before);
            }
            if (e.sequence() == before + 1 && e.type().equals("MigrationCompleted")) {
                completions.merge(e.domain().value(), 1, Integer::sum);
            }
            latest.put(e.domain().value(), Math.max(before, e.sequence()));
        });
        assertThat(gaps).isEmpty();
        assertThat(latest).hasSize(tenants.size());
        assertThat(completions.values()).as("each domain completes once").allMatch(n -> n == 1);
    }

    @Override
    public void close() {
        fleet.close();
        proxy.close();
        lab.close();
    }
}
