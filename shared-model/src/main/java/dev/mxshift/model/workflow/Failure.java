package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.RecordSet;
import dev.mxshift.model.event.Direction;

/**
 * Why a domain stopped, and where a retry resumes. For a conflict, {@code expected} is what the plan
 * expected and {@code actual} what the provider held (null when absent): both versions, as invariant 3 asks.
 */
public record Failure(Category category, String reason, WorkflowStatus resumeStatus, Direction direction,
                      int step, StepPhase resumePhase, RecordSet expected, RecordSet actual) {

    public enum Category {
        DISCOVERY_RETRYABLE,
        DISCOVERY_PERMANENT,
        APPLY_RETRYABLE,
        CONFLICT,
        AUTHENTICATION,
        APPLY_PERMANENT,
        VERIFICATION,
        WORKFLOW
    }
}
