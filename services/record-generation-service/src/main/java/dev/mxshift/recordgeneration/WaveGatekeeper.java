package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.recordgeneration.WaveGate.Admission;
import dev.mxshift.recordgeneration.WaveGate.DomainStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps the wave gate's view of every domain and the domains it holds. The view is learnt from the state topic (every
 * partition: the limits are per wave and per tenant, across instances) and from this process's own events, the newer
 * sequence winning; a domain this process admits counts as changing at once, before its plan is in the log, so a
 * burst of admissions cannot overshoot a limit. Held domains wait here and are asked again ({@link #admitWaiting})
 * whenever the caller re-checks: its own at once, and a ready domain of the caller's partitions seen only on the state
 * topic (its ready event was consumed before a hand-over, or by this instance's predecessor) after a grace, so that
 * nothing is ever dropped. A domain of another instance's partitions is never admitted by the re-check: only its
 * owner plans it (two instances each admitting it after the grace appended two plans, found by bench/cluster-failures).
 *
 * <p>With several instances each keeps its own view, a poll behind the others' admissions: the limits then hold to
 * within what the instances admit in the same moment. Thread-safe.
 */
public final class WaveGatekeeper {

    private record Waiting(MigrationState state, long since, boolean own, String reason, java.time.Instant heldAt) {
        Waiting(MigrationState state, long since, boolean own, String reason) {
            this(state, since, own, reason, null);
        }
    }

    private final WaveLimits limits;
    private final Duration grace;
    private final LongSupplier nanos;
    private final java.time.Clock clock;
    private final WaveTally tally = new WaveTally();
    private final Map<DomainName, Long> sequences = new HashMap<>();
    private final Map<DomainName, Waiting> waiting = new LinkedHashMap<>();

    public WaveGatekeeper(WaveLimits limits, Duration grace, LongSupplier nanos) {
        this(limits, grace, nanos, java.time.Clock.systemUTC());
    }

    /** {@code clock} dates the holds shown to operators ({@link #holds()}). */
    public WaveGatekeeper(WaveLimits limits, Duration grace, LongSupplier nanos, java.time.Clock clock) {
        this.limits = limits;
        this.grace = grace;
        this.nanos = nanos;
        this.clock = clock;
    }

    public WaveLimits limits() {
        return limits;
    }

    /** Learns a domain's state; an older one than known is ignored. A ready domain becomes a candidate. */
    public synchronized void learn(MigrationState state) {
        DomainName d = state.domain();
        if (state.tenant() == null || state.sequence() < sequences.getOrDefault(d, 0L)) {
            return;
        }
        sequences.put(d, state.sequence());
        tally.put(status(state, state.status()));
        Waiting w = waiting.get(d);
        if (w != null && state.sequence() > w.state().sequence()) {
            waiting.remove(d);
            w = null;
        }
        if (w == null && Workflow.next(state) instanceof NextAction.GeneratePlan) {
            waiting.put(d, new Waiting(state, nanos.getAsLong(), false, null));
        }
    }

    /**
     * Whether a domain ready for its plan may have it now. If so it counts as changing from here on; if not it waits
     * here with the reason. False also when the domain has moved on (or was admitted already).
     */
    public synchronized boolean admit(MigrationState state) {
        return decide(state, true) == null;
    }

    /** The waiting domains the gate admits now, each counted as changing from here on. */
    public synchronized List<MigrationState> admitWaiting() {
        return admitWaiting(domain -> true);
    }

    /**
     * The waiting domains of {@code mine} (the caller's partitions) the gate admits now, each counted as changing from
     * here on. The others stay held here: another instance plans them.
     */
    public synchronized List<MigrationState> admitWaiting(java.util.function.Predicate<DomainName> mine) {
        List<MigrationState> admitted = new ArrayList<>();
        long now = nanos.getAsLong();
        for (Waiting w : new ArrayList<>(waiting.values())) {
            if (!mine.test(w.state().domain()) || !w.own() && now - w.since() < grace.toNanos()) {
                continue;
            }
            if (decide(w.state(), w.own()) == null) {
                admitted.add(w.state());
            }
        }
        return admitted;
    }

    /** A plan admitted here could not be appended: the domain waits again, and no longer counts as changing. */
    public synchronized void release(MigrationState state) {
        if (sequences.getOrDefault(state.domain(), 0L) == state.sequence() + 1) {
            sequences.put(state.domain(), state.sequence());
            tally.put(status(state, state.status()));
            waiting.put(state.domain(), new Waiting(state, nanos.getAsLong(), true, "its plan could not be appended", clock.instant()));
        }
    }

    /** How many domains wait for the gate, and why, for the metrics and the log. */
    public synchronized Map<DomainName, String> waitingReasons() {
        Map<DomainName, String> reasons = new LinkedHashMap<>();
        waiting.forEach((d, w) -> reasons.put(d, w.reason() == null ? "not asked yet" : w.reason()));
        return reasons;
    }

    /**
     * The domains the gate has held, each with the state it held and its reason, for operators; not those still to be
     * asked (another instance's within the grace).
     */
    public synchronized List<dev.mxshift.model.workflow.GateHold> holds() {
        List<dev.mxshift.model.workflow.GateHold> holds = new ArrayList<>();
        waiting.forEach((d, w) -> {
            if (w.reason() != null) {
                holds.add(new dev.mxshift.model.workflow.GateHold(d, w.state().sequence(), w.reason(), w.heldAt()));
            }
        });
        return holds;
    }

    public synchronized int waitingCount() {
        return waiting.size();
    }

    /** Null when admitted; the reason it waits otherwise (or that it moved on). */
    private String decide(MigrationState state, boolean own) {
        DomainName d = state.domain();
        Waiting before = waiting.get(d);
        if (before != null && before.state().sequence() > state.sequence()) {
            return "moved on"; // an older state than the one waiting: the waiting one stays
        }
        if (state.sequence() < sequences.getOrDefault(d, 0L) || !(Workflow.next(state) instanceof NextAction.GeneratePlan)) {
            waiting.remove(d);
            return "moved on";
        }
        tally.put(status(state, state.status()));
        Admission admission = WaveGate.admit(status(state, state.status()), tally, limits);
        if (admission instanceof Admission.Hold hold) {
            boolean ownNow = own || (before != null && before.own());
            java.time.Instant heldAt = before != null && before.heldAt() != null && before.state().sequence() == state.sequence()
                    ? before.heldAt() : clock.instant();
            waiting.put(d, new Waiting(state, before == null ? nanos.getAsLong() : before.since(), ownNow, hold.reason(), heldAt));
            return hold.reason();
        }
        waiting.remove(d);
        sequences.put(d, state.sequence() + 1);
        tally.put(status(state, WorkflowStatus.MIGRATING));
        return null;
    }

    private static DomainStatus status(MigrationState s, WorkflowStatus status) {
        return new DomainStatus(s.domain(), s.tenant(), s.wave(), status, s.forwardEffects() > 0 || status == WorkflowStatus.MIGRATING);
    }
}
