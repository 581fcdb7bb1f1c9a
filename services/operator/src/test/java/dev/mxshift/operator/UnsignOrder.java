package dev.mxshift.operator;

import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.plan.PlanStep;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 6's order for an unsign, read from a domain's history: the DS gone from the parent (verified), then the
 * wait for the DS and signature caches, and only then the zone's signing stopped.
 */
final class UnsignOrder {

    private UnsignOrder() {
    }

    /** Fails unless the rollback's events run in that order; returns when the unsigning was applied. */
    static Instant assertDsGoneThenWaitThenUnsigned(String domain, List<EventEnvelope> history) {
        List<EventEnvelope> rollback = history.stream().filter(e -> e.state().direction() == Direction.ROLLBACK).toList();
        int dsGone = indexOf(rollback, e -> e.state().dnssec() != null && e.state().dnssec().ds() == DsStatus.GONE);
        int waited = indexOf(rollback, e -> e.type().equals("WaitElapsed") && dsGone >= 0 && rollback.indexOf(e) > dsGone);
        int unsigned = indexOf(rollback, e -> e.type().equals("StepApplied")
                && e.state().activeSteps().get(e.state().stepIndex()) instanceof PlanStep.UnsignZone);
        assertThat(dsGone).as(domain + ": the DS seen gone at the parent").isNotNegative();
        assertThat(waited).as(domain + ": the wait for the caches after the DS was gone").isGreaterThan(dsGone);
        assertThat(unsigned).as(domain + ": signing stopped only after the wait").isGreaterThan(waited);
        return rollback.get(unsigned).occurredAt();
    }

    private static int indexOf(List<EventEnvelope> events, Predicate<EventEnvelope> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
