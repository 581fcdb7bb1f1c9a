package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.AwaitingExternalAction;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.MigrationCompleted;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.Resumed;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.RolledBack;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.RollbackPlanner;
import dev.mxshift.model.workflow.MigrationState.Builder;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.mxshift.model.workflow.WorkflowStatus.*;

/**
 * The only definition of a domain's migration workflow: {@link #apply} folds one event into the state,
 * {@link #next} says what must happen next and who owns it. Pure functions: no clock, no I/O, so a replay
 * from the first event gives exactly the state the live run had.
 */
public final class Workflow {

    private static final Set<WorkflowStatus> RUNNING = EnumSet.of(MIGRATING, ROLLING_BACK);

    private Workflow() {
    }

    /** Folds a whole history from the start. */
    public static MigrationState replay(MigrationState initial, List<EventEnvelope> events) {
        MigrationState state = initial;
        for (EventEnvelope event : events) {
            state = apply(state, event);
        }
        return state;
    }

    /**
     * Builds the next event of a domain: the envelope carries the sequence after {@code before} and the state
     * after the event. Throws {@link IllegalTransitionException} if the event is not legal now, so an illegal
     * event is never produced.
     */
    public static EventEnvelope emit(MigrationState before, dev.mxshift.model.dns.TenantId tenant, MigrationEvent payload,
                                     UUID eventId, UUID causationId, Instant occurredAt, int schemaVersion) {
        MigrationState after = applyPayload(before, tenant, before.sequence() + 1, eventId, payload);
        return new EventEnvelope(eventId, before.domain(), tenant, before.sequence() + 1, causationId, occurredAt,
                schemaVersion, payload, after);
    }

    /** state' = apply(state, event). Ignores the state the envelope carries: the fold is the definition. */
    public static MigrationState apply(MigrationState state, EventEnvelope event) {
        if (!event.domain().equals(state.domain())) {
            throw new IllegalTransitionException(Violation.WRONG_DOMAIN,
                    "event for " + event.domain() + " applied to the state of " + state.domain());
        }
        return applyPayload(state, event.tenant(), event.sequence(), event.eventId(), event.payload());
    }

    private static MigrationState applyPayload(MigrationState state, dev.mxshift.model.dns.TenantId tenant, long sequence,
                                               UUID eventId, MigrationEvent payload) {
        if (sequence != state.sequence() + 1) {
            throw new IllegalTransitionException(Violation.OUT_OF_SEQUENCE,
                    describe(state, sequence, payload) + ": expected sequence " + (state.sequence() + 1)
                            + (sequence <= state.sequence() ? " (this one is stale or a duplicate)" : " (events are missing before it)"));
        }
        if (state.tenant() != null && !state.tenant().equals(tenant)) {
            throw new IllegalTransitionException(Violation.WRONG_TENANT,
                    describe(state, sequence, payload) + ": belongs to tenant " + state.tenant() + ", not " + tenant);
        }
        Builder next = state.toBuilder();
        next.sequence = sequence;
        next.lastEventId = eventId;
        Transition t = new Transition(state, next, sequence, payload);
        // Java 17 has no pattern switch; the test WorkflowTransitionsTest covers every event type.
        if (payload instanceof MigrationRequested e) {
            t.requested(e, tenant);
        } else if (payload instanceof Discovered e) {
            t.discovered(e);
        } else if (payload instanceof DiscoveryFailed e) {
            t.discoveryFailed(e);
        } else if (payload instanceof dev.mxshift.model.event.TargetAssigned e) {
            t.targetAssigned(e);
        } else if (payload instanceof PreflightPassed e) {
            t.preflightPassed(e);
        } else if (payload instanceof PreflightBlocked e) {
            t.preflightBlocked(e);
        } else if (payload instanceof PlanGenerated e) {
            t.planGenerated(e);
        } else if (payload instanceof StepApplied e) {
            t.stepApplied(e);
        } else if (payload instanceof StepApplyFailed e) {
            t.stepApplyFailed(e);
        } else if (payload instanceof StepVerified e) {
            t.stepVerified(e);
        } else if (payload instanceof StepVerificationFailed e) {
            t.stepVerificationFailed(e);
        } else if (payload instanceof dev.mxshift.model.event.VerificationRetryScheduled e) {
            t.verificationRetryScheduled(e);
        } else if (payload instanceof WaitScheduled e) {
            t.waitScheduled(e);
        } else if (payload instanceof WaitElapsed e) {
            t.waitElapsed(e);
        } else if (payload instanceof AwaitingExternalAction e) {
            t.awaitingExternal(e);
        } else if (payload instanceof ExternalActionConfirmed e) {
            t.externalConfirmed(e);
        } else if (payload instanceof MigrationCompleted e) {
            t.completed(e);
        } else if (payload instanceof RolledBack e) {
            t.rolledBack(e);
        } else if (payload instanceof MigrationFailed e) {
            t.failed(e);
        } else if (payload instanceof RetryRequested e) {
            t.retry(e);
        } else if (payload instanceof Paused) {
            t.paused();
        } else if (payload instanceof Resumed) {
            t.resumed();
        } else if (payload instanceof dev.mxshift.model.event.Started) {
            t.started();
        } else if (payload instanceof Cancelled) {
            t.cancelled();
        } else if (payload instanceof RollbackRequested e) {
            t.rollbackRequested(e);
        } else if (payload instanceof dev.mxshift.model.event.LegacyReferencesFound e) {
            t.legacyReferencesFound(e);
        } else if (payload instanceof dev.mxshift.model.event.FixesApproved e) {
            t.fixesApproved(e);
        } else {
            throw new IllegalStateException("no transition defined for " + payload.getClass().getName());
        }
        return next.build();
    }

    /** What must happen next for the domain, and who owns it. */
    public static NextAction next(MigrationState state) {
        if (state.status().terminal() || state.status() == NEW) {
            return new NextAction.Nothing();
        }
        if (state.paused()) {
            return new NextAction.AwaitOperator("paused");
        }
        if (state.held()) {
            return new NextAction.AwaitOperator("on hold since the import: start it");
        }
        return switch (state.status()) {
            case REQUESTED -> new NextAction.Discover();
            case DISCOVERED -> new NextAction.RunPreflight();
            case READY -> new NextAction.GeneratePlan();
            case DISCOVERY_FAILED, BLOCKED, CONFLICT, FAILED -> new NextAction.AwaitOperator(reason(state));
            case MIGRATING, ROLLING_BACK -> nextStep(state);
            default -> throw new IllegalStateException("unhandled status " + state.status());
        };
    }

    /**
     * Whether {@code role} can own {@link #next} of some state with this status and these flags: what a service reads
     * of an event it does not own, before binding the event's state (decision 0038). Exact for every status but
     * MIGRATING and ROLLING_BACK, where the plan's current step decides between validation, push and the operator.
     */
    public static boolean mayOwn(ServiceRole role, WorkflowStatus status, boolean paused, boolean held) {
        if (status.terminal() || status == NEW) {
            return role == ServiceRole.NOBODY;
        }
        if (paused || held) {
            return role == ServiceRole.OPERATOR;
        }
        return switch (status) {
            case REQUESTED -> role == ServiceRole.DISCOVERY;
            case DISCOVERED -> role == ServiceRole.VALIDATION;
            case READY -> role == ServiceRole.RECORD_GENERATION;
            case MIGRATING, ROLLING_BACK -> role == ServiceRole.VALIDATION || role == ServiceRole.DNS_PUSH || role == ServiceRole.OPERATOR;
            default -> role == ServiceRole.OPERATOR;
        };
    }

    private static NextAction nextStep(MigrationState state) {
        List<PlanStep> steps = state.activeSteps();
        Direction d = state.direction();
        int i = state.stepIndex();
        if (i == steps.size()) {
            return new NextAction.Finish(d);
        }
        PlanStep step = steps.get(i);
        if (state.phase() == StepPhase.VERIFY_WAITING) {
            return new NextAction.AwaitReverification(d, i, step, state.waitDueAt());
        }
        if (step instanceof PlanStep.Wait w) {
            return state.phase() == StepPhase.WAITING
                    ? new NextAction.AwaitTimer(d, i, state.waitDueAt())
                    : new NextAction.ScheduleWait(d, i, w.seconds());
        }
        if (step instanceof PlanStep.External x) {
            return state.phase() == StepPhase.AWAITING_EXTERNAL
                    ? new NextAction.AwaitExternalConfirmation(d, i, x.action())
                    : new NextAction.RequestExternalAction(d, i, x.action());
        }
        if (step instanceof PlanStep.VerifyDane || step instanceof PlanStep.VerifyZoneSigned) {
            return new NextAction.VerifyStep(d, i, step);
        }
        if (state.phase() == StepPhase.AWAITING_EXTERNAL && step.manualAction() != null) {
            return new NextAction.AwaitExternalConfirmation(d, i, step.manualAction());
        }
        return writeStep(state, step);
    }

    private static NextAction writeStep(MigrationState state, PlanStep step) {
        return state.phase() == StepPhase.APPLIED
                ? new NextAction.VerifyStep(state.direction(), state.stepIndex(), step)
                : new NextAction.ApplyStep(state.direction(), state.stepIndex(), step);
    }

    private static String reason(MigrationState state) {
        if (state.failure() != null) {
            return state.status() + ": " + state.failure().reason();
        }
        if (!state.blockReasons().isEmpty()) {
            return "BLOCKED: " + state.blockReasons().get(0).message();
        }
        return state.status().toString();
    }

    /** What an error message says the event was; built only when there is an error. */
    private static String describe(MigrationState state, long sequence, MigrationEvent payload) {
        return state.domain() + " event #" + sequence + " " + payload.getClass().getSimpleName();
    }

    /** One transition's checks and changes, with the context needed for precise error messages. */
    private record Transition(MigrationState s, Builder n, long sequence, MigrationEvent payload) {

        void requested(MigrationRequested e, dev.mxshift.model.dns.TenantId tenant) {
            allowedIn(NEW);
            n.tenant = tenant;
            n.provider = e.provider();
            n.targetHost = e.targetMxHost();
            n.wave = e.wave();
            n.held = e.hold();
            n.unsignedZone = e.unsignedZone();
            n.status = REQUESTED;
        }

        void discovered(Discovered e) {
            allowedIn(REQUESTED);
            n.status = DISCOVERED;
            n.classification = e.snapshot().classification();
            n.discoveredMx = e.snapshot().mx();
            n.liveMx = e.snapshot().mx();
            n.mtaSts = e.snapshot().mtaSts();
        }

        /** Microsoft's host, learned after the request; it can change only while no plan exists. */
        void targetAssigned(dev.mxshift.model.event.TargetAssigned e) {
            if (!java.util.EnumSet.of(REQUESTED, DISCOVERED, DISCOVERY_FAILED, BLOCKED, READY).contains(s.status())) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "a target can be assigned only before a plan exists; the domain is " + s.status());
            }
            n.targetHost = e.targetHost();
        }

        void discoveryFailed(DiscoveryFailed e) {
            allowedIn(REQUESTED);
            n.status = DISCOVERY_FAILED;
            n.failure = new Failure(e.kind() == FailureKind.RETRYABLE ? Failure.Category.DISCOVERY_RETRYABLE
                    : Failure.Category.DISCOVERY_PERMANENT, e.reason(), REQUESTED, Direction.FORWARD, 0, StepPhase.PENDING, null, null);
        }

        void preflightPassed(PreflightPassed e) {
            allowedIn(DISCOVERED);
            if (s.classification() == null || !s.classification().eligible()) {
                throw violation(Violation.NOT_ELIGIBLE, "discovery classified the domain " + s.classification()
                        + "; only " + dev.mxshift.model.event.MxClassification.LEGACY_EXCHANGE_ONLINE + " domains are migrated");
            }
            if (e.signing() != null && !e.signing().zone().equals(s.domain()) && !s.domain().value().endsWith("." + e.signing().zone().value())) {
                throw violation(Violation.PLAN_MISMATCH, "would sign " + e.signing().zone() + ", which is not the zone of " + s.domain());
            }
            n.status = READY;
            // what the gates let through with a warning stays visible (an unsigned zone: not DANE-protected)
            n.warnings = e.warnings();
            n.signing = e.signing();
        }

        void preflightBlocked(PreflightBlocked e) {
            allowedIn(DISCOVERED);
            n.status = BLOCKED;
            n.warnings = List.of();
            n.blockReasons = e.reasons();
        }

        void planGenerated(PlanGenerated e) {
            allowedIn(READY);
            var plan = e.plan();
            if (!plan.domain().equals(s.domain())) {
                throw violation(Violation.PLAN_MISMATCH, "the plan is for " + plan.domain());
            }
            if (s.discoveredMx() == null || !plan.discoveredMx().equals(s.discoveredMx())) {
                throw violation(Violation.PLAN_MISMATCH, "the plan starts from " + plan.discoveredMx()
                        + " but discovery saw " + s.discoveredMx());
            }
            if (s.targetHost() != null && !plan.targetHost().equals(s.targetHost())) {
                throw violation(Violation.PLAN_MISMATCH, "the plan targets " + plan.targetHost()
                        + " but Microsoft assigned " + s.targetHost());
            }
            boolean chains = plan.steps().stream().anyMatch(step -> step instanceof PlanStep.PublishDs p
                    && s.signing() != null && p.zone().equals(s.signing().zone()) && p.path() == s.signing().path());
            boolean anyDnssec = plan.steps().stream().anyMatch(PlanStep::dnssec);
            if (s.signing() != null && !chains) {
                throw violation(Violation.PLAN_MISMATCH, "the preflight decided to " + s.signing().mode() + " zone "
                        + s.signing().zone() + " by " + s.signing().path().word() + ", but the plan does not chain it");
            }
            if (s.signing() == null && anyDnssec) {
                throw violation(Violation.PLAN_MISMATCH, "the plan has DNSSEC steps the preflight did not decide");
            }
            n.plan = plan;
            n.targetHost = plan.targetHost();
            n.status = MIGRATING;
            n.direction = Direction.FORWARD;
            n.stepIndex = 0;
            n.phase = StepPhase.PENDING;
        }

        void stepApplied(StepApplied e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.PENDING);
            if (!step.writes()) {
                throw violation(Violation.WRONG_STEP_KIND, "step " + e.step() + " (" + step.describe() + ") writes nothing");
            }
            if (step instanceof PlanStep.ChangeMx change) {
                changeLiveMx(change.target());
            }
            if (step.dnssec()) {
                dnssecApplied(step, e.keys());
            }
            n.phase = StepPhase.APPLIED;
            startedEffect(e.direction(), e.step());
            if (e.direction() == Direction.FORWARD && step instanceof PlanStep.ChangeRecordSet fix
                    && fix.purpose() == dev.mxshift.model.plan.StepPurpose.FIX_LEGACY_REFERENCE) {
                fixedReference(fix.expectedBefore());
            }
        }

        /**
         * An applied fix no longer depends on the legacy host, so the sweep's reference to it goes (decision 0040): what
         * {@code legacyReferences} holds after it is what a sweep saw since, and a reference at the fixed owner found again
         * is one pointed back at the legacy host, which {@link LegacyFixes} leaves to a person.
         */
        private void fixedReference(RecordSet swept) {
            n.legacyReferences = s.legacyReferences().stream()
                    .filter(r -> !(r.owner().equals(swept.owner()) && r.type().equals(swept.type()))).toList();
        }

        /** Invariant 6, checked on the event itself whatever the plan said: never a second key, never an unverified DS. */
        private void dnssecApplied(PlanStep step, dev.mxshift.model.dnssec.ZoneKeys keys) {
            var before = s.dnssecOrNone();
            if (step instanceof PlanStep.SignZone) {
                if (keys == null) {
                    throw violation(Violation.DNSSEC_ORDER, "signing must record the keys and the DS it made");
                }
                if (before.keys() != null && !before.keys().sameKeys(keys)) {
                    throw violation(Violation.DNSSEC_ORDER, "records keys " + keys.keyTags() + " but the zone was signed with "
                            + before.keys().keyTags() + ": a second key is never made");
                }
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(keys, false, before.ds(), true);
            } else if (step instanceof PlanStep.PublishDs) {
                publishable(keys);
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(before.keys(), true, dev.mxshift.model.dnssec.DsStatus.SUBMITTED, before.signedByMxshift());
            } else if (step instanceof PlanStep.WithdrawDs) {
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(before.keys(), before.keysVerified(),
                        dev.mxshift.model.dnssec.DsStatus.WITHDRAWING, before.signedByMxshift());
            } else if (step instanceof PlanStep.UnsignZone) {
                if (before.ds() != dev.mxshift.model.dnssec.DsStatus.GONE && before.ds() != dev.mxshift.model.dnssec.DsStatus.NONE) {
                    throw violation(Violation.DNSSEC_ORDER, "stops signing while the DS is " + before.ds()
                            + " at the parent: the zone would be bogus for every resolver that holds it (invariant 6)");
                }
            }
        }

        /** A DS goes to the parent only for keys every authoritative server was seen serving with valid signatures. */
        private void publishable(dev.mxshift.model.dnssec.ZoneKeys submitted) {
            var before = s.dnssecOrNone();
            if (!before.keysVerified() || before.keys() == null) {
                throw violation(Violation.DNSSEC_ORDER, "publishes a DS before every authoritative server was seen serving the"
                        + " zone's keys with valid signatures (invariant 6)");
            }
            if (submitted != null && !before.keys().sameDs(submitted)) {
                throw violation(Violation.DNSSEC_ORDER, "publishes DS " + submitted.ds() + " but the verified keys give "
                        + before.keys().ds());
            }
        }

        void stepApplyFailed(StepApplyFailed e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.PENDING);
            if (!step.writes()) {
                throw violation(Violation.WRONG_STEP_KIND, "step " + e.step() + " (" + step.describe() + ") writes nothing");
            }
            RecordSet expected = step instanceof PlanStep.ChangeMx c ? c.expectedBefore().toRecordSet()
                    : step instanceof PlanStep.ChangeRecordSet r ? r.expectedBefore() : null;
            Failure.Category category = switch (e.kind()) {
                case RETRYABLE -> Failure.Category.APPLY_RETRYABLE;
                case CONFLICT -> Failure.Category.CONFLICT;
                case AUTHENTICATION -> Failure.Category.AUTHENTICATION;
                case PERMANENT -> Failure.Category.APPLY_PERMANENT;
            };
            n.failure = new Failure(category, e.reason(), s.status(), e.direction(), e.step(), StepPhase.PENDING,
                    e.kind() == ApplyFailureKind.CONFLICT ? expected : null, e.actual());
            n.status = e.kind() == ApplyFailureKind.CONFLICT ? CONFLICT : FAILED;
        }

        void stepVerified(StepVerified e) {
            PlanStep step = currentStep(e.direction(), e.step(), awaitingVerification(e.direction(), e.step()));
            boolean targetLive = s.liveMx() != null && s.targetHost() != null && s.liveMx().hosts().contains(s.targetHost());
            if (targetLive && (step instanceof PlanStep.ChangeMx || step instanceof PlanStep.VerifyDane v && v.host().equals(s.targetHost()))) {
                n.newMxVerified = true;
            }
            if (step.dnssec()) {
                dnssecVerified(step, e.keys());
            }
            advance();
        }

        private void dnssecVerified(PlanStep step, dev.mxshift.model.dnssec.ZoneKeys seen) {
            var before = s.dnssecOrNone();
            if ((step instanceof PlanStep.SignZone || step instanceof PlanStep.VerifyZoneSigned) && seen == null) {
                throw violation(Violation.DNSSEC_ORDER, "a signed zone's verification must record the keys and DS it saw");
            }
            if (step instanceof PlanStep.SignZone && !before.keys().sameDs(seen)) {
                throw violation(Violation.DNSSEC_ORDER, "saw DS " + seen.ds() + " served, but the zone was signed with keys giving "
                        + before.keys().ds());
            }
            if (step instanceof PlanStep.SignZone || step instanceof PlanStep.VerifyZoneSigned) {
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(before.keys() == null ? seen : before.keys().seen(seen), true,
                        before.ds(), before.signedByMxshift());
            } else if (step instanceof PlanStep.PublishDs) {
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(seen == null ? before.keys() : before.keys().seen(seen), true,
                        dev.mxshift.model.dnssec.DsStatus.CHAINED, before.signedByMxshift());
            } else if (step instanceof PlanStep.WithdrawDs) {
                n.dnssec = new dev.mxshift.model.dnssec.ZoneDnssec(before.keys() == null || seen == null ? before.keys() : before.keys().seen(seen),
                        before.keysVerified(), dev.mxshift.model.dnssec.DsStatus.GONE, before.signedByMxshift());
            } else if (step instanceof PlanStep.UnsignZone) {
                n.dnssec = dev.mxshift.model.dnssec.ZoneDnssec.none();
            }
        }

        void stepVerificationFailed(StepVerificationFailed e) {
            StepPhase phase = verifiablePhase(e.direction(), e.step());
            currentStep(e.direction(), e.step(), awaitingVerification(e.direction(), e.step()));
            // A retry verifies afresh: from the phase before any re-check, with the attempts counted anew.
            n.failure = new Failure(Failure.Category.VERIFICATION, e.reason(), s.status(), e.direction(), e.step(), phase, null, null);
            n.status = FAILED;
            n.waitDueAt = null;
            n.verifyAttempts = 0;
        }

        void verificationRetryScheduled(dev.mxshift.model.event.VerificationRetryScheduled e) {
            currentStep(e.direction(), e.step(), awaitingVerification(e.direction(), e.step()));
            if (e.attempt() != s.verifyAttempts() + 1) {
                throw violation(Violation.WRONG_PHASE, "is attempt " + e.attempt() + " of step " + e.step()
                        + "'s verification, but " + s.verifyAttempts() + " were made");
            }
            n.phase = StepPhase.VERIFY_WAITING;
            n.waitDueAt = e.dueAt();
            n.verifyAttempts = e.attempt();
        }

        void waitScheduled(WaitScheduled e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.PENDING);
            stepKind(step, PlanStep.Wait.class, e.step());
            n.phase = StepPhase.WAITING;
            n.waitDueAt = e.dueAt();
            startedEffect(e.direction(), e.step());
        }

        void waitElapsed(WaitElapsed e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.WAITING);
            stepKind(step, PlanStep.Wait.class, e.step());
            advance();
        }

        void awaitingExternal(AwaitingExternalAction e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.PENDING);
            externalOrManual(step, e.action(), e.step());
            if (step instanceof PlanStep.PublishDs) {
                publishable(null);
            }
            n.phase = StepPhase.AWAITING_EXTERNAL;
            startedEffect(e.direction(), e.step());
        }

        void externalConfirmed(ExternalActionConfirmed e) {
            PlanStep step = currentStep(e.direction(), e.step(), StepPhase.AWAITING_EXTERNAL);
            externalOrManual(step, e.action(), e.step());
            if (step.manualAction() != null) {
                // An operator's word is not proof: the DS step is verified at the parent like any other write.
                dnssecApplied(step, null);
                n.phase = StepPhase.APPLIED;
                return;
            }
            advance();
        }

        /** A Microsoft-side step, or a DS step whose path is manual. */
        private void externalOrManual(PlanStep step, dev.mxshift.model.plan.ExternalAction action, int index) {
            if (step.manualAction() != null) {
                if (step.manualAction() != action) {
                    throw violation(Violation.WRONG_STEP_KIND, "names " + action + " but the step is " + step.manualAction());
                }
                return;
            }
            stepKind(step, PlanStep.External.class, index);
            sameAction((PlanStep.External) step, action);
        }

        void completed(MigrationCompleted e) {
            allowedIn(MIGRATING);
            allStepsDone();
            if (!e.finalMx().equals(s.liveMx())) {
                throw violation(Violation.RECORD_SET_MISMATCH, "claims " + e.finalMx() + " but the live set is " + s.liveMx());
            }
            n.status = COMPLETED;
            n.paused = false;
        }

        void rolledBack(RolledBack e) {
            allowedIn(ROLLING_BACK);
            allStepsDone();
            if (!e.restoredMx().equals(s.liveMx()) || !e.restoredMx().equals(s.discoveredMx())) {
                throw violation(Violation.RECORD_SET_MISMATCH, "claims " + e.restoredMx() + " but the live set is "
                        + s.liveMx() + " and the discovered set " + s.discoveredMx());
            }
            n.status = ROLLED_BACK;
            n.paused = false;
        }

        void failed(MigrationFailed e) {
            if (s.status().terminal() || s.status().stopped() || s.status() == NEW) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "cannot fail a domain that is " + s.status());
            }
            n.failure = new Failure(Failure.Category.WORKFLOW, e.reason(), s.status(), s.direction(), s.stepIndex(),
                    s.phase(), null, null);
            n.status = FAILED;
        }

        void retry(RetryRequested e) {
            if (!s.status().stopped()) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "only a failed, conflicted, blocked or undiscovered domain can be retried");
            }
            boolean restart = e.mode() == RetryMode.FROM_DISCOVERY || s.status() == BLOCKED || s.status() == DISCOVERY_FAILED
                    || !RUNNING.contains(s.failure().resumeStatus());
            if (!restart) {
                n.status = s.failure().resumeStatus();
                n.phase = s.failure().resumePhase();
                n.failure = null;
                return;
            }
            if (s.forwardEffects() > 0) {
                throw violation(Violation.REDISCOVERY_AFTER_CHANGES, s.forwardEffects()
                        + " step(s) already took effect; retry from the failed step, or roll back first");
            }
            n.status = REQUESTED;
            n.classification = null;
            n.discoveredMx = null;
            n.liveMx = null;
            n.plan = null;
            n.direction = Direction.FORWARD;
            n.rollbackSteps = null;
            n.stepIndex = 0;
            n.phase = StepPhase.PENDING;
            n.waitDueAt = null;
            n.newMxVerified = false;
            n.failure = null;
            n.blockReasons = List.of();
            n.mtaSts = null;
            n.signing = null;
        }

        void paused() {
            notTerminal();
            if (s.paused()) {
                throw violation(Violation.ALREADY_PAUSED, "the domain is already paused");
            }
            n.paused = true;
        }

        /** A fact, in any status of a domain that exists: recorded, and nothing else changes (decision 0028, addendum). */
        void legacyReferencesFound(dev.mxshift.model.event.LegacyReferencesFound e) {
            if (s.status() == NEW) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "the domain is " + s.status());
            }
            n.legacyReferences = e.references();
        }

        /**
         * The approved fixes join the completed plan as more forward steps (decision 0036), and the domain runs again from
         * the first of them: each is applied, verified and, on a rollback, undone like any step of the plan. Only the fix
         * plan the state gives now, with its checksum, is accepted.
         */
        void fixesApproved(dev.mxshift.model.event.FixesApproved e) {
            allowedIn(COMPLETED);
            FixPlan fixes = LegacyFixes.planFor(s);
            if (!fixes.approvable()) {
                throw violation(Violation.PLAN_MISMATCH, "there is nothing to fix automatically: "
                        + (fixes.notYet() != null ? fixes.notYet() : "no legacy reference of the domain has a safe fix"));
            }
            if (!fixes.checksum().equals(e.checksum()) || !fixes.steps().equals(e.steps())) {
                throw violation(Violation.PLAN_MISMATCH, "approves fix plan " + e.checksum() + ", but the domain's fix plan is now "
                        + fixes.checksum() + " (the findings changed since it was reviewed); review it again");
            }
            n.plan = s.plan().extendedBy(fixes.steps());
            n.status = MIGRATING;
            n.direction = Direction.FORWARD;
            n.stepIndex = s.plan().steps().size();
            n.phase = StepPhase.PENDING;
            n.waitDueAt = null;
            n.verifyAttempts = 0;
            n.failure = null;
        }

        void resumed() {
            if (!s.paused()) {
                throw violation(Violation.NOT_PAUSED, "the domain is not paused");
            }
            n.paused = false;
        }

        void started() {
            if (!s.held()) {
                throw violation(Violation.NOT_HELD, "the domain is not on hold (it was not imported with --hold, or was started already)");
            }
            n.held = false;
        }

        void cancelled() {
            notTerminal();
            n.held = false;
            n.status = CANCELLED;
            n.paused = false;
        }

        void rollbackRequested(RollbackRequested e) {
            boolean fromStop = (s.status() == FAILED || s.status() == CONFLICT) && s.failure().resumeStatus() == MIGRATING;
            if (s.plan() == null || s.direction() != Direction.FORWARD
                    || !(s.status() == MIGRATING || s.status() == COMPLETED || fromStop)) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS,
                        "a rollback needs a forward plan that is running, stopped or completed; the domain is " + s.status()
                                + (s.direction() == Direction.ROLLBACK ? " in rollback" : ""));
            }
            n.status = ROLLING_BACK;
            n.direction = Direction.ROLLBACK;
            n.rollbackSteps = RollbackPlanner.rollbackOf(s.plan(), s.forwardEffects(), s.dnssec(), e.unsign());
            n.stepIndex = 0;
            n.phase = StepPhase.PENDING;
            n.waitDueAt = null;
            n.verifyAttempts = 0;
            n.failure = null;
        }

        // --- checks shared by the step events ---

        private PlanStep currentStep(Direction direction, int step, StepPhase phase) {
            if (!RUNNING.contains(s.status())) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "no plan is running (the domain is " + s.status() + ")");
            }
            if (direction != s.direction()) {
                throw violation(Violation.WRONG_DIRECTION, "is for the " + direction + " plan but the " + s.direction() + " plan is running");
            }
            if (step != s.stepIndex() || step >= s.activeSteps().size()) {
                throw violation(Violation.WRONG_STEP, "is for step " + step + " but the current step is " + s.stepIndex()
                        + " of " + s.activeSteps().size());
            }
            if (s.phase() != phase) {
                throw violation(Violation.WRONG_PHASE, "step " + step + " is " + s.phase() + ", this event needs " + phase);
            }
            return s.activeSteps().get(step);
        }

        /** The phase a verification result may arrive in: the step's own, or waiting for a re-check. */
        private StepPhase awaitingVerification(Direction direction, int step) {
            StepPhase base = verifiablePhase(direction, step);
            return s.phase() == StepPhase.VERIFY_WAITING ? StepPhase.VERIFY_WAITING : base;
        }

        private StepPhase verifiablePhase(Direction direction, int step) {
            List<PlanStep> steps = s.activeSteps();
            boolean verifyOnly = step < steps.size() && (steps.get(step) instanceof PlanStep.VerifyDane
                    || steps.get(step) instanceof PlanStep.VerifyZoneSigned);
            if (!verifyOnly && step < steps.size() && !steps.get(step).writes()) {
                throw violation(Violation.WRONG_STEP_KIND, "step " + step + " (" + steps.get(step).describe() + ") has nothing to verify");
            }
            return verifyOnly ? StepPhase.PENDING : StepPhase.APPLIED;
        }

        /** Invariants 1 and 2, checked on every change of the live MX set whatever the plan said. */
        private void changeLiveMx(MxRecordSet target) {
            if (target.isEmpty()) {
                throw violation(Violation.EMPTY_MX_SET, "would leave the domain without MX records");
            }
            // Without a legacy MX, the domain must be served by the new MX, verified while it was live.
            boolean keepsVerifiedTarget = s.newMxVerified() && s.targetHost() != null && target.hosts().contains(s.targetHost());
            if (!target.hasLegacyHost() && !keepsVerifiedTarget) {
                throw violation(Violation.LEGACY_REMOVED_BEFORE_NEW_VERIFIED, "leaves " + target
                        + " without the legacy MX, but the new MX " + s.targetHost() + " is not in it, verified from outside");
            }
            n.liveMx = target;
            if (s.targetHost() == null || !target.hosts().contains(s.targetHost())) {
                n.newMxVerified = false;
            }
        }

        private void startedEffect(Direction direction, int step) {
            if (direction == Direction.FORWARD) {
                n.forwardEffects = Math.max(s.forwardEffects(), step + 1);
            }
        }

        private void advance() {
            n.stepIndex = s.stepIndex() + 1;
            n.phase = StepPhase.PENDING;
            n.waitDueAt = null;
            n.verifyAttempts = 0;
        }

        private void allStepsDone() {
            if (s.stepIndex() != s.activeSteps().size()) {
                throw violation(Violation.WRONG_STEP, "step " + s.stepIndex() + " of " + s.activeSteps().size() + " has not run yet");
            }
        }

        private void stepKind(PlanStep step, Class<? extends PlanStep> kind, int index) {
            if (!kind.isInstance(step)) {
                throw violation(Violation.WRONG_STEP_KIND, "step " + index + " is " + step.describe() + ", not a " + kind.getSimpleName());
            }
        }

        private void sameAction(PlanStep.External step, dev.mxshift.model.plan.ExternalAction action) {
            if (step.action() != action) {
                throw violation(Violation.WRONG_STEP_KIND, "names " + action + " but the step is " + step.action());
            }
        }

        private void allowedIn(WorkflowStatus status) {
            if (s.status() != status) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "allowed only when " + status + ", the domain is " + s.status());
            }
        }

        private void notTerminal() {
            if (s.status().terminal() || s.status() == NEW) {
                throw violation(Violation.NOT_ALLOWED_IN_STATUS, "the domain is " + s.status());
            }
        }

        private IllegalTransitionException violation(Violation v, String detail) {
            return new IllegalTransitionException(v, describe(s, sequence, payload) + ": " + detail);
        }
    }
}
