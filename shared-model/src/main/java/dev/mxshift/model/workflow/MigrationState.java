package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One domain's workflow state after an event: small enough to ride on every event (event-carried state), and
 * complete enough that a service can act and an operator can resume from any single event.
 * Built only by {@link Workflow#apply} (a record's constructor is public, so an ArchUnit rule in infra/architecture-tests keeps
 * its calls in this package); nullable components are absent until the workflow reaches them.
 *
 * @param sequence       the sequence of the last event applied; 0 before the first
 * @param liveMx         the MX set the domain serves as far as the workflow knows (discovered, then each step's target)
 * @param forwardEffects how many forward steps, from the first, have had their side effect started
 * @param newMxVerified  the new MX host was verified from outside while it is in the live set (invariant 2)
 * @param rollbackSteps  the steps being run while rolling back, derived from what was done
 * @param mtaSts         the domain's MTA-STS as discovered, for the planner (schema v2)
 * @param wave           the inventory's wave, for starting and gating by wave (schema v3; null when none was given,
 *                       and in the carried state of events written before schema 3, except their MigrationRequested)
 * @param held           imported on hold: nothing happens until an operator starts it (schema v3)
 * @param verifyAttempts the current step's verifications so far that did not see it yet (schema v3; 0 when a step
 *                       starts or is retried)
 * @param unsignedZone   the inventory row's policy for an unsigned zone (schema v4; null: the validation service's
 *                       configuration decides)
 * @param warnings       what the preflight let through with a warning, e.g. ZONE_INSECURE: the domain is not
 *                       DANE-protected because its zone is unsigned (schema v4; empty before a preflight passed)
 * @param signing        the DNSSEC stage the preflight decided for a zone not yet secure (schema v5; null: none needed)
 * @param dnssec         the DNSSEC stage's progress: keys, whether they were verified, where the DS stands (schema v5;
 *                       null until a DNSSEC step ran)
 * @param legacyReferences what the latest zone sweep found in the domain's zone that still depends on the legacy hosts
 *                       ({@code LegacyReferencesFound}, schema v6; empty where no sweep recorded any)
 */
public record MigrationState(
        DomainName domain,
        TenantId tenant,
        long sequence,
        UUID lastEventId,
        WorkflowStatus status,
        boolean paused,
        ProviderRef provider,
        DomainName targetHost,
        MxClassification classification,
        MxRecordSet discoveredMx,
        MxRecordSet liveMx,
        StagedPlan plan,
        Direction direction,
        List<PlanStep> rollbackSteps,
        int stepIndex,
        StepPhase phase,
        Instant waitDueAt,
        int forwardEffects,
        boolean newMxVerified,
        Failure failure,
        List<Finding> blockReasons,
        dev.mxshift.model.event.MtaStsSnapshot mtaSts,
        String wave,
        boolean held,
        int verifyAttempts,
        dev.mxshift.model.event.UnsignedZonePolicy unsignedZone,
        List<Finding> warnings,
        dev.mxshift.model.dnssec.ZoneSigningPlan signing,
        dev.mxshift.model.dnssec.ZoneDnssec dnssec,
        List<dev.mxshift.model.event.LegacyReference> legacyReferences) {

    public MigrationState {
        if (domain == null || status == null) {
            throw new IllegalArgumentException("a migration state needs a domain and a status");
        }
        rollbackSteps = rollbackSteps == null ? null : List.copyOf(rollbackSteps);
        blockReasons = blockReasons == null ? List.of() : List.copyOf(blockReasons);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        legacyReferences = legacyReferences == null ? List.of() : List.copyOf(legacyReferences);
    }

    /** The state of a domain no event has touched yet. */
    public static MigrationState initial(DomainName domain) {
        return new MigrationState(domain, null, 0, null, WorkflowStatus.NEW, false, null, null, null, null, null,
                null, Direction.FORWARD, null, 0, StepPhase.PENDING, null, 0, false, null, List.of(), null, null, false, 0, null, List.of(), null, null, List.of());
    }

    /** The steps of the plan now running: the forward plan or the rollback. Empty before a plan exists. */
    public List<PlanStep> activeSteps() {
        if (direction == Direction.ROLLBACK) {
            return rollbackSteps == null ? List.of() : rollbackSteps;
        }
        return plan == null ? List.of() : plan.steps();
    }

    /** The DNSSEC stage's progress, or none before it started. */
    public dev.mxshift.model.dnssec.ZoneDnssec dnssecOrNone() {
        return dnssec == null ? dev.mxshift.model.dnssec.ZoneDnssec.none() : dnssec;
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change for the fold; package-private so that only the workflow makes states. */
    static final class Builder {
        DomainName domain;
        TenantId tenant;
        long sequence;
        UUID lastEventId;
        WorkflowStatus status;
        boolean paused;
        ProviderRef provider;
        DomainName targetHost;
        MxClassification classification;
        MxRecordSet discoveredMx;
        MxRecordSet liveMx;
        StagedPlan plan;
        Direction direction;
        List<PlanStep> rollbackSteps;
        int stepIndex;
        StepPhase phase;
        Instant waitDueAt;
        int forwardEffects;
        boolean newMxVerified;
        Failure failure;
        List<Finding> blockReasons;
        dev.mxshift.model.event.MtaStsSnapshot mtaSts;
        String wave;
        boolean held;
        int verifyAttempts;
        dev.mxshift.model.event.UnsignedZonePolicy unsignedZone;
        List<Finding> warnings;
        dev.mxshift.model.dnssec.ZoneSigningPlan signing;
        dev.mxshift.model.dnssec.ZoneDnssec dnssec;
        List<dev.mxshift.model.event.LegacyReference> legacyReferences;

        Builder(MigrationState s) {
            domain = s.domain;
            tenant = s.tenant;
            sequence = s.sequence;
            lastEventId = s.lastEventId;
            status = s.status;
            paused = s.paused;
            provider = s.provider;
            targetHost = s.targetHost;
            classification = s.classification;
            discoveredMx = s.discoveredMx;
            liveMx = s.liveMx;
            plan = s.plan;
            direction = s.direction;
            rollbackSteps = s.rollbackSteps;
            stepIndex = s.stepIndex;
            phase = s.phase;
            waitDueAt = s.waitDueAt;
            forwardEffects = s.forwardEffects;
            newMxVerified = s.newMxVerified;
            failure = s.failure;
            blockReasons = s.blockReasons;
            mtaSts = s.mtaSts;
            wave = s.wave;
            held = s.held;
            verifyAttempts = s.verifyAttempts;
            unsignedZone = s.unsignedZone;
            warnings = s.warnings;
            signing = s.signing;
            dnssec = s.dnssec;
            legacyReferences = s.legacyReferences;
        }

        MigrationState build() {
            return new MigrationState(domain, tenant, sequence, lastEventId, status, paused, provider, targetHost,
                    classification, discoveredMx, liveMx, plan, direction, rollbackSteps, stepIndex, phase, waitDueAt,
                    forwardEffects, newMxVerified, failure, blockReasons, mtaSts, wave, held, verifyAttempts, unsignedZone, warnings, signing, dnssec,
                    legacyReferences);
        }
    }
}
