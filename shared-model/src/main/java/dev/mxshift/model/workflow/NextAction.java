package dev.mxshift.model.workflow;

import dev.mxshift.model.event.Direction;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;

import java.time.Instant;

/** What must happen next for a domain, and who owns it: the output of {@link Workflow#next(MigrationState)}. */
public sealed interface NextAction {

    ServiceRole owner();

    record Discover() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DISCOVERY;
        }
    }

    record RunPreflight() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.VALIDATION;
        }
    }

    record GeneratePlan() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.RECORD_GENERATION;
        }
    }

    record ApplyStep(Direction direction, int step, PlanStep planStep) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DNS_PUSH;
        }
    }

    record VerifyStep(Direction direction, int step, PlanStep planStep) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.VALIDATION;
        }
    }

    record ScheduleWait(Direction direction, int step, long seconds) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DNS_PUSH;
        }
    }

    /** The durable timer of a wait step fires at {@code dueAt}. */
    record AwaitTimer(Direction direction, int step, Instant dueAt) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DNS_PUSH;
        }
    }

    /** The durable timer of a verification not yet seen: verify the step again at {@code dueAt}. */
    record AwaitReverification(Direction direction, int step, PlanStep planStep, Instant dueAt) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.VALIDATION;
        }
    }

    /** Announce the Microsoft-side action (or run it, where a connector can). */
    record RequestExternalAction(Direction direction, int step, ExternalAction action) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.DNS_PUSH;
        }
    }

    record AwaitExternalConfirmation(Direction direction, int step, ExternalAction action) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.OPERATOR;
        }
    }

    /** All steps are verified: record the end of the migration, or of the rollback. */
    record Finish(Direction direction) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.VALIDATION;
        }
    }

    /** Stopped or paused: a person decides (retry, resume, roll back, cancel). */
    record AwaitOperator(String why) implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.OPERATOR;
        }
    }

    /** Not yet requested, or finished for good. */
    record Nothing() implements NextAction {
        public ServiceRole owner() {
            return ServiceRole.NOBODY;
        }
    }
}
