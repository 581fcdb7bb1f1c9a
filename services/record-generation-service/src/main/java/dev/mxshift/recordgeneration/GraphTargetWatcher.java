package dev.mxshift.recordgeneration;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.recordgeneration.GraphTargetDecision.Decision;
import dev.mxshift.recordgeneration.GraphTargetSource.Lookup;
import dev.mxshift.service.PartitionLifecycle;
import dev.mxshift.service.SecretReference;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Microsoft Graph at work in the record-generation service (decision 0034): every domain of this instance's partitions
 * that waits for its mx.microsoft host ({@link GraphTargetDecision#waiting}) is asked about, at most
 * {@code requests-per-second} lookups a second (a Resilience4j rate limiter), and {@link GraphTargetDecision} decides
 * what the answer means. What it knows of each domain is what the service's consumer read of the log: every event of
 * its partitions ({@link #observe}) and, when Kafka gives it partitions, their latest states ({@link #recovered}), so
 * it is never behind the state topic and forgets domains whose partitions move away ({@link #released}).
 *
 * <p>Nothing is appended twice: events go on the log from this instance only for a domain whose latest state, as the
 * consumer read it, still waits, and the sequence they were appended at is remembered until the consumer reads them
 * back (the rule of operator actions, PendingActions: no second event of the same type at the same sequence while the
 * first is not yet applied). A problem is logged once per key (a token, a domain), and again only after it cleared.
 * The lookups run on the caller's thread ({@link #lookUpDue}, scheduled by the configuration), never on the consumer's.
 */
public final class GraphTargetWatcher implements PartitionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(GraphTargetWatcher.class);
    public static final String LOOKUPS = "mxshift.record-generation.graph.lookups";

    /** A domain Graph gave a target, for operators (the graph-targets topic). */
    public record Resolved(MigrationState state, String target, Instant at) {
    }

    private record Waiting(MigrationState state, long dueAt) {
    }

    private final GraphSettings settings;
    private final BiFunction<MigrationState, SecretReference, Lookup> lookups;
    private final Consumer<List<EventEnvelope>> appender;
    private final Consumer<Resolved> resolvedSink;
    private final EventFactory events;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final MeterRegistry meters;
    private final RateLimiter limiter;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** Sequence of the last event appended per domain, until the consumer reads a state at or past it. */
    private final Map<String, Long> appendedUpTo = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** No lookup before this time (System.nanoTime's scale): Graph's last Retry-After. */
    private volatile long pausedUntil;
    private volatile boolean handingOver;

    /**
     * @param lookups  Graph asked about a domain with a token ({@link GraphTargetSource#lookup})
     * @param appender appends a domain's events in order and returns once the log has them (EventWriter.appendAll)
     * @param resolved hears each domain Graph gave a target, after its events are in the log
     */
    public GraphTargetWatcher(GraphSettings settings, BiFunction<MigrationState, SecretReference, Lookup> lookups,
                              Consumer<List<EventEnvelope>> appender, Consumer<Resolved> resolved, Clock clock,
                              LongSupplier nanoTime, MeterRegistry meters) {
        this.settings = settings;
        this.lookups = lookups;
        this.appender = appender;
        this.resolvedSink = resolved;
        this.events = new EventFactory(clock);
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.meters = meters;
        this.pausedUntil = nanoTime.getAsLong();
        this.limiter = RateLimiter.of("microsoft-graph", RateLimiterConfig.custom()
                .limitForPeriod(settings.requestsPerSecond()).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO).build());
        io.micrometer.core.instrument.Gauge.builder("mxshift.record-generation.graph.waiting", waiting, Map::size)
                .description("domains of this instance waiting for Microsoft's target host, looked up in Graph").register(meters);
    }

    /** Graph owns no next action: it acts beside the workflow, on domains that wait for a person. */
    @Override
    public void observe(dev.mxshift.model.serde.EventHeader event, MigrationState state) {
        learn(state);
    }

    @Override
    public boolean observesStates() {
        return true;
    }

    @Override
    public void recovered(MigrationState state) {
        learn(state);
    }

    @Override
    public void handoverStarted() {
        handingOver = true;
    }

    @Override
    public void handoverEnded() {
        handingOver = false;
    }

    @Override
    public void released(Predicate<String> domains) {
        waiting.keySet().removeIf(domains);
        appendedUpTo.keySet().removeIf(domains);
    }

    /** How many domains of this instance wait for a target. */
    public int waitingCount() {
        return waiting.size();
    }

    void learn(MigrationState state) {
        String domain = state.domain().value();
        appendedUpTo.computeIfPresent(domain, (d, seq) -> state.sequence() >= seq ? null : seq);
        waiting.compute(domain, (d, known) -> {
            if (known != null && known.state().sequence() >= state.sequence()) {
                return known;
            }
            if (!GraphTargetDecision.waiting(state)) {
                return null;
            }
            return new Waiting(state, known == null ? nanoTime.getAsLong() : known.dueAt());
        });
    }

    /**
     * Asks Graph about the domains whose time has come, oldest first, as many as the rate allows now; returns how many
     * were asked. Called again and again from one thread.
     */
    public int lookUpDue() {
        long now = nanoTime.getAsLong();
        if (handingOver || now - pausedUntil < 0) {
            return 0;
        }
        List<Waiting> due = waiting.values().stream().filter(w -> now - w.dueAt() >= 0)
                .sorted(Comparator.comparingLong(Waiting::dueAt)).toList();
        int asked = 0;
        for (Waiting w : due) {
            MigrationState state = w.state();
            String domain = state.domain().value();
            Long appended = appendedUpTo.get(domain);
            if (appended != null && appended > state.sequence()) {
                continue; // appended already; the consumer has not read it back yet
            }
            Optional<SecretReference> token = settings.tokenFor(state.tenant());
            if (token.isEmpty()) {
                once("tenant " + state.tenant(), "Microsoft Graph has no token for tenant " + state.tenant() + " (" + GraphSettings.PREFIX
                        + "tenant-tokens); its domains wait for the enablement script's CSV");
                reschedule(w, settings.afterProblem());
                continue;
            }
            if (!limiter.acquirePermission()) {
                break;
            }
            asked++;
            Lookup lookup = lookups.apply(state, token.get());
            count(lookup);
            if (lookup instanceof Lookup.Assigned || lookup instanceof Lookup.NotYetAssigned) {
                // Graph answered: a problem told before is over, and would be told again if it came back
                reported.remove("token " + token.get());
                reported.remove(domain);
            }
            Decision decision = GraphTargetDecision.decide(state, lookup, events, token.get().toString(), settings.lookAgain(), settings.afterProblem());
            if (decision instanceof Decision.Assign assign) {
                assign(w, assign.events());
            } else if (decision instanceof Decision.LookAgain again) {
                LOG.debug("{}; asking again in {}", again.why(), again.after());
                reschedule(w, again.after());
            } else if (decision instanceof Decision.Report report) {
                once(report.key(), report.problem());
                reschedule(w, report.after());
            } else if (decision instanceof Decision.Pause pause) {
                pausedUntil = nanoTime.getAsLong() + pause.after().toNanos();
                LOG.info("Microsoft Graph throttles (Retry-After {}): no lookup before then", pause.after());
                reschedule(w, pause.after());
                break;
            } else {
                waiting.remove(domain, w);
            }
        }
        return asked;
    }

    private void assign(Waiting w, List<EventEnvelope> appended) {
        MigrationState state = w.state();
        String domain = state.domain().value();
        try {
            appender.accept(appended);
        } catch (RuntimeException e) {
            LOG.warn("the events giving {} its target from Microsoft Graph were not appended ({}); asking again shortly", domain, e.getMessage());
            reschedule(w, Duration.ofSeconds(5));
            return;
        }
        appendedUpTo.put(domain, appended.get(appended.size() - 1).sequence());
        waiting.remove(domain, w);
        String target = ((dev.mxshift.model.event.TargetAssigned) appended.get(0).payload()).targetHost().value();
        LOG.info("Microsoft Graph gave {} (tenant {}) its target {}: appended as #{} and #{}, the domain goes on", domain, state.tenant(),
                target, appended.get(0).sequence(), appended.get(1).sequence());
        try {
            resolvedSink.accept(new Resolved(appended.get(appended.size() - 1).state(), target, Instant.now(clock)));
        } catch (RuntimeException e) {
            LOG.warn("the console will not list {} as resolved by Graph: {}", domain, e.getMessage());
        }
    }

    private void reschedule(Waiting w, Duration after) {
        waiting.replace(w.state().domain().value(), w, new Waiting(w.state(), nanoTime.getAsLong() + after.toNanos()));
    }

    private void once(String key, String problem) {
        if (reported.add(key)) {
            LOG.warn("{}", problem);
        }
    }

    private void count(Lookup lookup) {
        Counter.builder(LOOKUPS).description("Microsoft Graph lookups of domains waiting for their target host, by answer")
                .tag("answer", lookup.getClass().getSimpleName()).register(meters).increment();
    }
}
