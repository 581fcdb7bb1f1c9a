package dev.mxshift.dnspush;

import dev.mxshift.connector.RrSet;
import dev.mxshift.connector.RrSetChange;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.dnspush.engine.PushOutcome;

/**
 * The push service's pure translations: a plan step into the connector's change, and what the engine did into the
 * event the workflow understands.
 */
public final class StepChanges {

    private StepChanges() {
    }

    public static RrSetChange change(ProviderRef provider, PlanStep step) {
        RecordSet before;
        RecordSet target;
        if (step instanceof PlanStep.ChangeMx mx) {
            before = mx.expectedBefore().toRecordSet();
            target = mx.target().toRecordSet();
        } else if (step instanceof PlanStep.ChangeRecordSet set) {
            before = set.expectedBefore();
            target = set.target();
        } else {
            throw new IllegalArgumentException("a " + step.getClass().getSimpleName() + " step writes nothing at a DNS provider");
        }
        RecordSet any = target != null ? target : before;
        return new RrSetChange(provider.zone().value(), any.owner(), any.type(), rrSet(before), rrSet(target));
    }

    static RrSet rrSet(RecordSet set) {
        return set == null ? null : new RrSet(set.owner(), set.type(), set.ttl(), set.rdata());
    }

    static RecordSet recordSet(RrSet set) {
        return set == null ? null : new RecordSet(set.owner(), set.type(), set.ttl(), set.rdata());
    }

    /** The event for what the engine did; the provider's words in it are capped ({@link ProviderText}). */
    public static MigrationEvent event(Direction direction, int step, PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Applied applied) {
            return new StepApplied(direction, step, false, ProviderText.capped(applied.evidence()));
        }
        if (outcome instanceof PushOutcome.AlreadyInPlace same) {
            return new StepApplied(direction, step, true, ProviderText.capped(same.evidence()));
        }
        if (outcome instanceof PushOutcome.Conflict conflict) {
            return new StepApplyFailed(direction, step, ApplyFailureKind.CONFLICT, ProviderText.capped(conflict.detail()), recordSet(conflict.actual()));
        }
        if (outcome instanceof PushOutcome.Failed failed) {
            ApplyFailureKind kind = switch (failed.kind()) {
                case RETRYABLE -> ApplyFailureKind.RETRYABLE;
                case CONFLICT -> ApplyFailureKind.CONFLICT;
                case AUTHENTICATION -> ApplyFailureKind.AUTHENTICATION;
                case PERMANENT, UNSUPPORTED -> ApplyFailureKind.PERMANENT;
            };
            return new StepApplyFailed(direction, step, kind, ProviderText.capped(failed.message()), null);
        }
        throw new IllegalArgumentException("a dry run's outcome is not an event: " + outcome);
    }
}
