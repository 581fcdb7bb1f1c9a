package dev.mxshift.operator;

import dev.mxshift.discovery.inventory.ImportCommand;
import dev.mxshift.lab.BogusMonitor;
import dev.mxshift.lab.LabRun;
import dev.mxshift.lab.ScenarioCatalogue;
import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.serde.EventCodec;
import dev.mxshift.model.topic.TopicCatalogue;
import dev.mxshift.model.topic.TopicSpec;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.operator.system.LabRegistrarDesk;
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
 * <p>
 * With {@link Signing}, unsigned zones go through the DNSSEC stage (the lab's registrar desk plays the person at the
 * registrar for the manual parents) and a bogus monitor asks Unbound about every zone in the stage once a second; the
 * check then also holds that each zone got at most one key, that the parent serves exactly the DS of the zone's one
 * key, and that no validating lookup failed.
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
    private final LabRegistrarDesk desk;
    private final BogusMonitor monitor;
    private final java.util.concurrent.atomic.AtomicReference<List<String>> inStage = new java.util.concurrent.atomic.AtomicReference<>(List.of());
    private int confirmations;

    /**
     * The DNSSEC stage on: unsigned zones are signed where the lab's connector can sign them, and chained.
     *
     * @param extraWeights scenarios added to the lab's default synthetic mix, with their weights
     */
    record Signing(Map<String, Integer> extraWeights) {
        String mixArgument() {
            Map<String, Integer> mix = new java.util.LinkedHashMap<>(ScenarioCatalogue.defaultMix(ScenarioCatalogue.builtIn(),
                    ScenarioCatalogue.builtInRegistries()));
            mix.putAll(extraWeights);
            return String.join(",", mix.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    DisruptedMigration(String name, int syntheticTenants, String bootstrap, int instancesPerService) throws Exception {
        this(name, syntheticTenants, bootstrap, instancesPerService, null);
    }

    DisruptedMigration(String name, int syntheticTenants, String bootstrap, int instancesPerService, Signing signing) throws Exception {
        this(name, syntheticTenants, bootstrap, instancesPerService, signing, 1);
    }

    /**
     * @param replication the replication factor of every topic of the run; above 1 (a cluster) the catalogue's topics are
     *                    created before the services start, with {@code min.insync.replicas} one less and the event log
     *                    stamped with the broker's append time (the pauses a broker failure causes are read from it),
     *                    and the services create any other topic with the same factor
     */
    DisruptedMigration(String name, int syntheticTenants, String bootstrap, int instancesPerService, Signing signing,
                       int replication) throws Exception {
        this.name = name;
        this.bootstrap = bootstrap;
        Path dir = LabRun.repositoryRoot().resolve("services/operator/target").resolve(name);
        events = TestTopics.unique(TopicCatalogue.defaults().events());
        TopicSpec state = events.named(events.name().replace("events", "state"));
        deadLetters = events.name() + ".dlt.";
        log = new EventLog(KafkaClientSettings.plaintext(bootstrap), events.name(), state.name());
        lab = signing == null ? LabRun.up(dir.resolve("lab"), "--tenants", Integer.toString(syntheticTenants))
                : LabRun.up(dir.resolve("lab"), "--tenants", Integer.toString(syntheticTenants), "--mix", signing.mixArgument());
        CountingProxy counting = null;
        ServiceFleet services = null;
        BogusMonitor watching = null;
        try {
            lab.tenants().forEach(t -> tenants.put(t.path("domain").asString(), t));
            counting = new CountingProxy(URI.create(lab.endpoints().path("powerdnsApi").path("url").asString()));
            Map<Service, List<String>> args = LabServiceConfig.arguments(lab.endpointsFile(), dir.resolve("secrets"), bootstrap,
                    new LabServiceConfig.Topics(events.name(), state.name(), deadLetters), 1000, signing != null);
            String proxyUrl = counting.url();
            args.get(Service.DNS_PUSH).replaceAll(a -> a.startsWith("--mxshift.push.connectors[0].settings.url=")
                    ? "--mxshift.push.connectors[0].settings.url=" + proxyUrl : a);
            if (replication > 1) {
                createReplicated(state, replication);
                // the services require what the topics were made with (decision 0043) and make any other topic so
                args.values().forEach(a -> a.addAll(List.of("--mxshift.topics.replication-factor=" + replication,
                        "--mxshift.topics.min-insync-replicas=" + (replication - 1))));
            }
            services = new ServiceFleet(LabRun.repositoryRoot(), dir.resolve("services"), args, "256m").jvmOptions(ServiceFleet.QUICK_START).stopOnExit();
            for (int i = 0; i < instancesPerService; i++) {
                services.startAll(List.of(Service.values()), i, Duration.ofSeconds(240));
            }
            if (signing != null) {
                JsonNode resolver = lab.endpoints().path("resolver");
                watching = new BogusMonitor(resolver.path("address").asString(), resolver.path("port").asInt(), inStage::get,
                        Duration.ofMinutes(20)).start();
            }
            ImportCommand.Result imported = ImportCommand.importFiles(List.of(lab.inventoryFile()), bootstrap, events.name(), name);
            assertThat(imported.imported()).isEqualTo(tenants.size());
        } catch (Exception | AssertionError e) {
            // Nothing of a half-made run may outlive it: a lab left up makes every later lab test fail to start.
            if (watching != null) {
                watching.close();
            }
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
        monitor = watching;
        desk = signing == null ? null : new LabRegistrarDesk(lab.endpointsFile());
    }

    ServiceFleet fleet() {
        return fleet;
    }

    String eventsTopic() {
        return events.name();
    }

    /** Whether every domain has settled now. */
    boolean settledNow() {
        return settled(log.snapshot().states());
    }

    private void createReplicated(TopicSpec state, int replication) {
        Map<String, String> stamped = new HashMap<>(events.config());
        stamped.put("message.timestamp.type", "LogAppendTime");
        List<TopicSpec> all = new ArrayList<>(List.of(new TopicSpec(events.name(), events.key(), events.partitions(), stamped, events.purpose()), state,
                state.named(TopicCatalogue.gateHoldsOf(state.name())), state.named(TopicCatalogue.graphTargetsOf(state.name()))));
        for (Service s : Service.values()) {
            all.add(events.named(deadLetters + s.module()));
        }
        TestTopics.createReplicated(bootstrap, (short) replication, all.toArray(TopicSpec[]::new));
    }

    EventLog log() {
        return log;
    }

    /**
     * Confirms the Microsoft-side action of every domain waiting for it, as an operator would; with the DNSSEC stage on,
     * the lab's registrar desk first does what a person at the registrar does for a DS, then that is confirmed.
     */
    void confirmWaiting() {
        confirmWaiting(Duration.ofSeconds(2));
    }

    /**
     * As {@link #confirmWaiting()}, waiting at most {@code patience} for the projection to apply the confirmations
     * (they are appended either way; the wait only makes the printed count exact): zero right after a kill, when the
     * projection of the killed services' partitions waits for the restart or a rebalance anyway.
     */
    void confirmWaiting(Duration patience) {
        EventLog.Snapshot snapshot = log.snapshot();
        watch(snapshot.states());
        List<EventEnvelope> confirm = new ArrayList<>();
        for (MigrationState s : snapshot.states().values()) {
            if (!(Workflow.next(s) instanceof NextAction.AwaitExternalConfirmation)) {
                continue;
            }
            if (WatchCommand.awaitingRegistrar(s)) {
                try {
                    if (desk == null || !desk.act(s)) {
                        continue;
                    }
                } catch (java.io.IOException e) {
                    System.out.println(name + ": the lab's registrar desk failed for " + s.domain() + " (" + e.getMessage() + "); trying again");
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (OperatorAction.CONFIRM.decide(s, name, null, new EventFactory(java.time.Clock.systemUTC())) instanceof OperatorAction.Append a) {
                confirm.add(a.event());
            }
        }
        if (!confirm.isEmpty()) {
            // only what was appended and not beaten counts: a domain that moved on since the snapshot took no confirmation
            confirmations += (int) log.appendAndConfirm(snapshot, confirm, patience, n -> { }).values().stream()
                    .filter(EventLog.Outcome::appended).count();
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
            CatalogueOutcomes.assertEndedAsExpected(s, tenants.get(s.domain().value()).path("scenario").asString(), desk != null);
            if (desk != null) {
                assertOneKeyAndItsDs(s, proxy.keyCreations().getOrDefault(s.domain().value(), 0));
            }
            if (s.status() != WorkflowStatus.COMPLETED) {
                assertThat(writes.getOrDefault(s.domain().value(), 0)).as("writes to " + s.domain() + ", which did not migrate").isZero();
                continue;
            }
            assertThat(LabDns.mx(lab, s.domain())).as("what " + s.domain() + " serves")
                    .isEqualTo(new ArrayList<>(new TreeSet<>(s.plan().finalMx().toRecordSet().rdata())));
            if (!"lab-bind".equals(s.provider().connectorId())) {
                long planned = s.plan().steps().stream().filter(p -> p.writes() && !p.dnssec()).count();
                assertThat(writes.getOrDefault(s.domain().value(), 0)).as("PATCHes PowerDNS received for " + s.domain()).isEqualTo((int) planned);
            }
        }
        assertGapFree();
        for (Service s : Service.values()) {
            assertThat(log.records(deadLetters + s.module())).as("dead letters of " + s.module()).isEmpty();
        }
        if (monitor != null) {
            BogusMonitor.Report report = monitor.stop();
            System.out.println(name + ": bogus monitor: " + report);
            assertThat(report.queries()).as("the bogus monitor asked").isPositive();
            assertThat(report.servfails()).as("SERVFAILs from the validating resolver: %s", report.firstFailurePerZone()).isZero();
        }
        return states;
    }

    private Map<DomainName, MigrationState> settle(Duration patience) {
        java.util.concurrent.atomic.AtomicReference<Map<DomainName, MigrationState>> seen = new java.util.concurrent.atomic.AtomicReference<>(Map.of());
        try {
            return await(name + " settled").atMost(patience).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).until(() -> {
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
            // the evidence: the whole history of a few that did not settle
            states.values().stream().filter(s -> !WatchCommand.settled(s)).limit(3).forEach(s -> printHistory(s, proxy.writes()));
            throw new AssertionError(states.size() + " domains; not settled within " + patience.toSeconds() + " s:" + b);
        }
    }

    /** The zones the bogus monitor asks about: each from when its plan with the DNSSEC stage exists. */
    private void watch(Map<DomainName, MigrationState> states) {
        inStage.set(states.values().stream().filter(s -> s.plan() != null && s.plan().steps().stream().anyMatch(PlanStep::dnssec))
                .map(s -> s.domain().value()).toList());
    }

    /** True when some domain's current step (not yet verified) is of this purpose: a disturbance lands in that step. */
    boolean anyAt(dev.mxshift.model.plan.StepPurpose purpose) {
        Map<DomainName, MigrationState> states = log.snapshot().states();
        watch(states);
        return states.values().stream().anyMatch(s -> !WatchCommand.settled(s) && s.stepIndex() < s.activeSteps().size()
                && s.activeSteps().get(s.stepIndex()).purpose() == purpose);
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
        try {
            await(name + " moved on by " + events + " events").atMost(patience).pollInterval(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).ignoreExceptions().until(() -> {
                Map<DomainName, MigrationState> states = log.snapshot().states();
                if (progress(states) >= from + events || settled(states)) {
                    return true;
                }
                confirmWaiting();
                return false;
            });
        } catch (ConditionTimeoutException e) {
            // the evidence: where the unsettled domains stopped, and the whole history of a few
            Map<DomainName, MigrationState> states = log.snapshot().states();
            StringBuilder b = new StringBuilder(name + " moved on by " + (progress(states) - from) + " of " + events + " events in "
                    + patience.toSeconds() + " s; not settled:");
            states.values().stream().filter(s -> !WatchCommand.settled(s)).limit(20)
                    .forEach(s -> b.append('\n').append(s.domain()).append(": ").append(OperatorAction.describe(s)));
            states.values().stream().filter(s -> !WatchCommand.settled(s)).limit(3).forEach(s -> printHistory(s, proxy.writes()));
            throw new AssertionError(b.toString(), e);
        }
    }

    /**
     * Waits until some domain is in a step of this purpose, confirming what waits for the operator meanwhile; fails if
     * none gets there: the disturbance must land where the test says it does.
     */
    void awaitStep(dev.mxshift.model.plan.StepPurpose purpose, Duration patience) {
        long[] lastConfirmation = {System.nanoTime()};
        await(name + ": some domain in a " + purpose + " step").atMost(patience).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (anyAt(purpose)) {
                return true;
            }
            if (System.nanoTime() - lastConfirmation[0] > 1_000_000_000L) {
                confirmWaiting();
                lastConfirmation[0] = System.nanoTime();
            }
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
                    .append(" [").append(e.state().direction()).append(" step ").append(e.state().stepIndex()).append(' ').append(e.state().phase())
                    .append("] id=").append(e.eventId()).append(" cause=").append(e.causationId())
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

    /**
     * Asks to roll back and unsign up to {@code count} completed zones mxshift signed, as many under a CDS-scanning
     * parent as under a manual one where there are; returns them.
     */
    List<DomainName> rollbackAndUnsign(int count) {
        EventLog.Snapshot snapshot = log.snapshot();
        List<MigrationState> signed = snapshot.states().values().stream().filter(s -> s.status() == WorkflowStatus.COMPLETED
                && s.dnssecOrNone().signedByMxshift() && s.dnssecOrNone().ds() == dev.mxshift.model.dnssec.DsStatus.CHAINED)
                .sorted(java.util.Comparator.comparing(s -> s.domain().value())).toList();
        List<MigrationState> cds = signed.stream().filter(s -> s.domain().value().endsWith(".ch")).toList();
        List<MigrationState> manual = signed.stream().filter(s -> !s.domain().value().endsWith(".ch")).toList();
        List<MigrationState> chosen = new ArrayList<>(cds.subList(0, Math.min(count / 2, cds.size())));
        chosen.addAll(manual.subList(0, Math.min(count - chosen.size(), manual.size())));
        List<EventEnvelope> requests = new ArrayList<>();
        for (MigrationState s : chosen) {
            if (OperatorAction.ROLLBACK_AND_UNSIGN.decide(s, name, "crash test", new EventFactory(java.time.Clock.systemUTC())) instanceof OperatorAction.Append a) {
                requests.add(a.event());
            }
        }
        assertThat(requests).as("rollback-and-unsign requests").hasSize(chosen.size()).isNotEmpty();
        inStage.set(List.of());
        if (monitor != null) {
            monitor.stop();
        }
        log.appendAndConfirm(snapshot, requests, Duration.ofSeconds(2), n -> { });
        return chosen.stream().map(MigrationState::domain).toList();
    }

    /**
     * The unsigned zones rolled back in invariant 6's order whatever was killed when: each ended ROLLED_BACK with no
     * keys, its DS gone from the parent before the wait and the wait before signing stopped, the zone serving no DNSKEY,
     * the parent no DS, every history gap-free and no dead letter.
     */
    void settleUnsignedAndCheck(List<DomainName> unsigned, Duration patience) throws Exception {
        Map<DomainName, MigrationState> states = settle(patience);
        for (DomainName d : unsigned) {
            MigrationState s = states.get(d);
            assertThat(s.status()).as(d + ": " + OperatorAction.describe(s)).isEqualTo(WorkflowStatus.ROLLED_BACK);
            assertThat(s.dnssecOrNone().keys()).as(d + "'s keys").isNull();
            UnsignOrder.assertDsGoneThenWaitThenUnsigned(d.value(), log.history(d));
            assertThat(LabDns.query(lab, d.value(), org.xbill.DNS.Type.DNSKEY)).as(d + " serves no DNSKEY").isEmpty();
            assertThat(LabDns.query(lab, d.value(), org.xbill.DNS.Type.DS)).as("the parent serves no DS for " + d).isEmpty();
        }
        assertGapFree();
        for (Service s : Service.values()) {
            assertThat(log.records(deadLetters + s.module())).as("dead letters of " + s.module()).isEmpty();
        }
    }

    /**
     * Invariant 6 at the provider and the parent, whatever was killed when: a zone mxshift signed got exactly one key
     * created (counted at PowerDNS's API) and serves exactly that one; a zone chained as its provider signed it got
     * none; and the parent serves exactly the DS of the zone's key, no DS for another key.
     */
    private void assertOneKeyAndItsDs(MigrationState s, int keysCreated) throws Exception {
        dev.mxshift.model.dnssec.ZoneDnssec dnssec = s.dnssecOrNone();
        // PowerDNS's keys are counted at its API; named makes a BIND zone's key itself (its dnssec-policy), served below
        boolean signedAtPowerDns = dnssec.keys() != null && dnssec.signedByMxshift() && !"lab-bind".equals(s.provider().connectorId());
        if (s.status() != WorkflowStatus.COMPLETED || dnssec.ds() != dev.mxshift.model.dnssec.DsStatus.CHAINED) {
            assertThat(keysCreated).as("keys created at PowerDNS for " + s.domain() + ", which was not chained (" + OperatorAction.describe(s) + ")")
                    .isLessThanOrEqualTo(signedAtPowerDns ? 1 : 0);
            return;
        }
        assertThat(keysCreated).as("keys created at PowerDNS for " + s.domain()).isEqualTo(signedAtPowerDns ? 1 : 0);
        List<Integer> tags = new ArrayList<>();
        for (org.xbill.DNS.Record r : LabDns.query(lab, s.domain().value(), org.xbill.DNS.Type.DNSKEY)) {
            tags.add(((org.xbill.DNS.DNSKEYRecord) r).getFootprint());
        }
        assertThat(tags).as("the keys " + s.domain() + " serves").containsExactlyInAnyOrderElementsOf(dnssec.keys().keyTags());
        String parent = s.domain().value().substring(s.domain().value().indexOf('.') + 1);
        List<String> ds = new ArrayList<>();
        for (org.xbill.DNS.Record r : LabDns.query(lab, s.domain().value(), org.xbill.DNS.Type.DS)) {
            ds.add(dev.mxshift.model.dnssec.ZoneKeys.normalised(r.rdataToString()));
        }
        assertThat(ds).as("the DS " + parent + " serves for " + s.domain())
                .containsExactlyInAnyOrderElementsOf(dnssec.keys().ds().stream().map(dev.mxshift.model.dnssec.ZoneKeys::normalised).toList());
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.close();
        }
        fleet.close();
        proxy.close();
        lab.close();
    }
}
