package dev.mxshift.model.event;

/**
 * Everything that can happen in one domain's migration. The payload of an {@link EventEnvelope}; its wire
 * name is the simple name of the record (see {@link EventType}).
 */
public sealed interface MigrationEvent permits
        MigrationRequested, Discovered, DiscoveryFailed, PreflightPassed, PreflightBlocked, PlanGenerated,
        StepApplied, StepApplyFailed, StepVerified, StepVerificationFailed, WaitScheduled, WaitElapsed,
        AwaitingExternalAction, ExternalActionConfirmed, MigrationCompleted, MigrationFailed, RetryRequested,
        Paused, Resumed, Cancelled, RollbackRequested, RolledBack, TargetAssigned, Started,
        VerificationRetryScheduled, LegacyReferencesFound, FixesApproved {
}
