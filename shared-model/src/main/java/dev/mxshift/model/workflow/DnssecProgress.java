package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dnssec.DsStatus;
import dev.mxshift.model.dnssec.ParentPath;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.UnsignedZonePolicy;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StepPurpose;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A domain's DNSSEC stage as operators see it ({@code status}, {@code watch}, the API, the reports): the phase, the
 * parent and the path its DS takes, a sentence saying what happens, and since when the domain is in that phase.
 * Derived only from the folded state ({@link #of(MigrationState)}); {@code since} needs the events' times, so it comes
 * from the domain's history ({@link #of(List)}) and is null where only the state is known.
 *
 * @param parent the parent zone the DS goes to (null where no DS step is planned)
 * @param path   how the DS reaches it (null where no DS step is planned)
 * @param detail what happens now, for a person; for {@link DnssecPhase#BLOCKED} the reason
 */
public record DnssecProgress(DnssecPhase phase, DomainName parent, ParentPath path, String detail, Instant since) {

    /**
     * The preflight's findings that stop the DNSSEC stage (the validation service's {@code PreflightGate} and
     * {@code SigningPreflight}): the zone is unsigned and its policy blocks, or it cannot be signed or chained.
     */
    static final Set<String> SIGNING_BLOCKS = Set.of(UnsignedZonePolicy.ZONE_INSECURE, "ZONE_SIGNING_UNAVAILABLE",
            "PARENT_NOT_ASKED", "DS_BUT_INSECURE", "CONNECTOR_SERVERS_UNKNOWN", "DELEGATION_UNKNOWN", "FOREIGN_NAME_SERVER",
            "DS_PATH_UNKNOWN");

    public DnssecProgress {
        detail = detail == null ? "" : detail;
    }

    public static DnssecProgress none() {
        return new DnssecProgress(DnssecPhase.NONE, null, null, "", null);
    }

    /** The phase the state is in, without {@code since}. */
    public static DnssecProgress of(MigrationState s) {
        PlanStep.PublishDs ds = dsStep(s);
        DomainName parent = s.signing() != null ? s.signing().parent() : ds != null ? ds.parent() : null;
        ParentPath path = s.signing() != null ? s.signing().path() : ds != null ? ds.path() : null;
        DomainName zone = s.signing() != null ? s.signing().zone() : ds != null ? ds.zone() : s.domain();

        List<Finding> blocks = s.blockReasons().stream().filter(f -> SIGNING_BLOCKS.contains(f.code())).toList();
        if (s.status() == WorkflowStatus.BLOCKED && !blocks.isEmpty()) {
            return new DnssecProgress(DnssecPhase.BLOCKED, parent, path,
                    blocks.stream().map(f -> f.code() + ": " + f.message()).collect(Collectors.joining("; ")), null);
        }
        if (s.warnings().stream().anyMatch(w -> w.code().equals(UnsignedZonePolicy.ZONE_INSECURE))) {
            return new DnssecProgress(DnssecPhase.NOT_DANE_PROTECTED, null, null, UnsignedZonePolicy.NOT_DANE_PROTECTED, null);
        }
        List<PlanStep> steps = s.activeSteps();
        PlanStep current = s.stepIndex() < steps.size() ? steps.get(s.stepIndex()) : null;
        boolean running = s.status() == WorkflowStatus.MIGRATING || s.status() == WorkflowStatus.ROLLING_BACK;
        boolean stoppedInPlan = (s.status() == WorkflowStatus.FAILED || s.status() == WorkflowStatus.CONFLICT)
                && s.failure() != null && (s.failure().resumeStatus() == WorkflowStatus.MIGRATING
                || s.failure().resumeStatus() == WorkflowStatus.ROLLING_BACK);
        if (stoppedInPlan && current != null && current.dnssec()) {
            return new DnssecProgress(DnssecPhase.BLOCKED, parent, path, current.describe() + " stopped: "
                    + s.failure().reason(), null);
        }
        if ((running || stoppedInPlan) && current != null) {
            DnssecProgress now = ofStep(s, current, zone, parent, path);
            if (now != null) {
                return now;
            }
        }
        DnssecProgress then = s.status() == WorkflowStatus.CANCELLED && current != null ? ofStep(s, current, zone, parent, path) : null;
        if (then != null) {
            // nothing more happens; the zone stays as the step left it
            return new DnssecProgress(then.phase(), then.parent(), then.path(), "cancelled while " + then.detail(), null);
        }
        if (s.direction() == Direction.ROLLBACK) {
            List<PlanStep> done = steps.subList(0, Math.min(s.stepIndex(), steps.size()));
            if (done.stream().anyMatch(PlanStep.UnsignZone.class::isInstance)) {
                return new DnssecProgress(DnssecPhase.UNSIGNED, parent, path, zone + " is unsigned again, as it was found", null);
            }
            if (done.stream().anyMatch(PlanStep.WithdrawDs.class::isInstance)) {
                return new DnssecProgress(DnssecPhase.DS_WITHDRAWN, parent, path, "the DS is withdrawn from " + parent
                        + "; " + zone + " stays signed by its provider, as it was found", null);
            }
        }
        if (s.dnssecOrNone().ds() == DsStatus.CHAINED) {
            return new DnssecProgress(DnssecPhase.CHAINED, parent, path, zone + " is signed and chained: every server of "
                    + parent + " serves its DS and resolvers validate it", null);
        }
        if (s.signing() != null && s.status() == WorkflowStatus.READY) {
            return new DnssecProgress(s.signing().mode() == dev.mxshift.model.dnssec.SigningMode.SIGN ? DnssecPhase.SIGNING
                    : DnssecPhase.VERIFYING_KEYS, parent, path, "planned: " + zone + " is "
                    + (s.signing().mode() == dev.mxshift.model.dnssec.SigningMode.SIGN ? "signed" : "checked") + " and chained to "
                    + parent + " by " + path.word() + " before the MX moves", null);
        }
        return none();
    }

    /** The phase while the current step is one of the stage's; null for any other step. */
    private static DnssecProgress ofStep(MigrationState s, PlanStep step, DomainName zone, DomainName parent, ParentPath path) {
        String attempts = s.verifyAttempts() > 0 ? " (checked " + s.verifyAttempts() + " time(s) so far"
                + (s.waitDueAt() != null ? ", next at " + s.waitDueAt() : "") + ")" : "";
        if (step instanceof PlanStep.SignZone) {
            return s.phase() == StepPhase.PENDING
                    ? new DnssecProgress(DnssecPhase.SIGNING, parent, path, "signing " + zone + " at its provider", null)
                    : new DnssecProgress(DnssecPhase.VERIFYING_KEYS, parent, path, "checking that every authoritative server"
                    + " serves " + zone + "'s keys with valid signatures" + attempts, null);
        }
        if (step instanceof PlanStep.VerifyZoneSigned) {
            return new DnssecProgress(DnssecPhase.VERIFYING_KEYS, parent, path, "checking that every authoritative server"
                    + " serves " + zone + "'s keys (signed by its provider) with valid signatures" + attempts, null);
        }
        if (step instanceof PlanStep.Wait w && w.purpose() == StepPurpose.WAIT_KEY_CACHES) {
            return new DnssecProgress(DnssecPhase.WAITING_KEY_CACHES, parent, path, "the keys are served; no DS before"
                    + " resolvers' cached \"no DNSKEY\" answers expire" + (s.waitDueAt() != null ? " at " + s.waitDueAt() : ""), null);
        }
        if (step instanceof PlanStep.PublishDs publish) {
            String where = "the DS for " + publish.zone() + " at " + publish.parent() + " by " + publish.path().word();
            String detail = switch (s.phase()) {
                case AWAITING_EXTERNAL -> where + ": to be submitted at the registrar and confirmed (ds-export lists it,"
                        + " confirm takes it)";
                case PENDING -> where + ": being sent";
                default -> where + ": submitted; waiting until every server of " + publish.parent()
                        + " serves it and resolvers validate the zone" + attempts;
            };
            return new DnssecProgress(DnssecPhase.AWAITING_DS, publish.parent(), publish.path(), detail, null);
        }
        if (step instanceof PlanStep.WithdrawDs withdraw) {
            return new DnssecProgress(DnssecPhase.WITHDRAWING_DS, withdraw.parent(), withdraw.path(), "withdrawing the DS for "
                    + withdraw.zone() + " at " + withdraw.parent() + " by " + withdraw.path().word() + attempts, null);
        }
        if (step instanceof PlanStep.Wait w && w.purpose() == StepPurpose.WAIT_DS_CACHES) {
            return new DnssecProgress(DnssecPhase.WITHDRAWING_DS, parent, path, "the DS is gone from " + parent
                    + "; waiting until no cache can hold it" + (s.waitDueAt() != null ? " (" + s.waitDueAt() + ")" : ""), null);
        }
        if (step instanceof PlanStep.UnsignZone) {
            return new DnssecProgress(DnssecPhase.UNSIGNING, parent, path, "turning signing of " + zone + " off" + attempts, null);
        }
        return null;
    }

    /**
     * The phase after the domain's history, and since when: the time of the event that entered it. Events are folded
     * as the state projection folds them: one that repeats a sequence already applied (a redelivery, a lost race) or
     * that the workflow refuses is passed over.
     */
    public static DnssecProgress of(List<EventEnvelope> history) {
        if (history.isEmpty()) {
            return none();
        }
        MigrationState state = MigrationState.initial(history.get(0).domain());
        DnssecPhase phase = null;
        Instant since = null;
        for (EventVerdict verdict : EventVerdict.of(history)) {
            if (!verdict.applied()) {
                continue;
            }
            state = verdict.stateAfter();
            DnssecPhase now = of(state).phase();
            if (now != phase) {
                phase = now;
                since = verdict.event().occurredAt();
            }
        }
        return of(state).since(phase == DnssecPhase.NONE ? null : since);
    }

    public DnssecProgress since(Instant when) {
        return new DnssecProgress(phase, parent, path, detail, when);
    }

    /** One line for a person, e.g. {@code awaiting-ds at ch by cds since 2026-12-06T09:00:00Z: ...}. */
    public String describe() {
        if (phase == DnssecPhase.NONE) {
            return "none";
        }
        return phase.word() + (parent != null && path != null && phase != DnssecPhase.NOT_DANE_PROTECTED
                ? " at " + parent + " by " + path.word() : "") + (since != null ? " since " + since : "")
                + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** The DS step of the plan, forward or in the rollback. */
    private static PlanStep.PublishDs dsStep(MigrationState s) {
        if (s.plan() == null) {
            return null;
        }
        return s.plan().steps().stream().filter(PlanStep.PublishDs.class::isInstance).map(PlanStep.PublishDs.class::cast)
                .findFirst().orElse(null);
    }
}
