package dev.mxshift.model.workflow;

import dev.mxshift.model.event.Direction;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;

import java.time.Instant;

/** What must happen next for a domain, and who owns it: the output of {@link Workflow#next(MigrationState)}. */
public sealed interface NextAction {

    ServiceRole owner();

    /** What the validation service does next: it runs the checks, verifies the steps and records the end. */
    sealed interface ForValidation extends NextAction {
        default ServiceRole owner() {
            return ServiceRole.VALIDATION;
        }
    }

    /** What the DNS push service does next: it writes the steps and keeps the timers. */
    sealed interface ForDnsPush extends NextAction {
        default ServiceRole owner() {
            return ServiceRole.DNS_PUSH;
        }
    }

    /** What a person does next: confirm an external action, or decide how a stopped migration goes on. */
    sealed interface ForOperator extends NextAction {
        default ServiceRole owner() {
            return ServiceRole.OPERATOR;
        }
    }

    record Discover() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DISCOVERY;
        }
    }

    record RunPreflight() implements ForValidation {
    }

    record GeneratePlan() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.RECORD_GENERATION;
        }
    }

    record ApplyStep(Direction direction, int step, PlanStep planStep) implements ForDnsPush {
    }

    record VerifyStep(Direction direction, int step, PlanStep planStep) implements ForValidation {
    }

    record ScheduleWait(Direction direction, int step, long seconds) implements ForDnsPush {
    }

    /** The durable timer of a wait step fires at {@code dueAt}. */
    record AwaitTimer(Direction direction, int step, Instant dueAt) implements ForDnsPush {
    }

    /** The durable timer of a verification not yet seen: verify the step again at {@code dueAt}. */
    record AwaitReverification(Direction direction, int step, PlanStep planStep, Instant dueAt) implements ForValidation {
    }

    /** Announce the Microsoft-side action (or run it, where a connector can). */
    record RequestExternalAction(Direction direction, int step, ExternalAction action) implements ForDnsPush {
    }

    record AwaitExternalConfirmation(Direction direction, int step, ExternalAction action) implements ForOperator {
    }

    /** All steps are verified: record the end of the migration, or of the rollback. */
    record Finish(Direction direction) implements ForValidation {
    }

    /** Stopped or paused: a person decides (retry, resume, roll back, cancel). */
    record AwaitOperator(String why) implements ForOperator {
    }

    /** Not yet requested, or finished for good. */
    record Nothing() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.NOBODY;
        }
    }
}
