package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.Collection;
import java.util.Objects;

/**
 * Decides whether a domain may start changing now, from the states of all domains. Pure: the record-generation
 * service keeps the states (it reads every event) and asks before it emits a plan; a held domain is asked again
 * when another domain finishes, so nothing is dropped.
 */
public final class WaveGate {

    /**
     * One domain as the gate sees it. {@code wave} may be null (the default wave). {@code wrote}: a write of its plan
     * was started (a domain that failed before any write, such as a plan nobody approved, is not changing).
     */
    public record DomainStatus(DomainName domain, TenantId tenant, String wave, WorkflowStatus status, boolean wrote) {

        /** As if a write was started, where that is not known: the cautious assumption. */
        public DomainStatus(DomainName domain, TenantId tenant, String wave, WorkflowStatus status) {
            this(domain, tenant, wave, status, true);
        }

        /** Started writing and not yet finished: its records may be anywhere between the old and new sets. */
        boolean changing() {
            return status == WorkflowStatus.MIGRATING || status == WorkflowStatus.ROLLING_BACK
                    || (wrote && (status == WorkflowStatus.FAILED || status == WorkflowStatus.CONFLICT));
        }

        /** Ended in a way that should stop a canary: a failure, a conflict, or a rollback. */
        boolean unclean() {
            return status == WorkflowStatus.FAILED || status == WorkflowStatus.CONFLICT
                    || status == WorkflowStatus.ROLLING_BACK || status == WorkflowStatus.ROLLED_BACK;
        }

        /** Not finished: still to start (requested, discovered, ready) or changing. */
        boolean unfinished() {
            return changing() || status == WorkflowStatus.REQUESTED || status == WorkflowStatus.DISCOVERED
                    || status == WorkflowStatus.READY;
        }
    }

    public sealed interface Admission {
        record Admit() implements Admission {
        }

        record Hold(String reason) implements Admission {
        }
    }

    private WaveGate() {
    }

    public static Admission admit(DomainStatus candidate, Collection<DomainStatus> all, WaveLimits limits) {
        return admit(candidate, WaveTally.of(all), limits);
    }

    /** As above, from a tally kept up to date (the service's way: no scan of every domain per question). */
    public static Admission admit(DomainStatus candidate, WaveTally all, WaveLimits limits) {
        int canaryIndex = candidate.wave() == null ? -1 : limits.canaryWaves().indexOf(candidate.wave());
        int earlier = canaryIndex >= 0 ? canaryIndex : limits.canaryWaves().size();
        for (int i = 0; i < earlier; i++) {
            String canary = limits.canaryWaves().get(i);
            if (Objects.equals(candidate.wave(), canary)) {
                continue;
            }
            java.util.Optional<DomainName> unclean = all.uncleanInWave(canary, candidate.domain());
            if (unclean.isPresent()) {
                return new Admission.Hold("canary wave '" + canary + "' did not complete cleanly: " + unclean.get()
                        + " is " + statusOf(all, unclean.get()) + "; resolve it (retry or roll back) before later waves start");
            }
            java.util.Optional<DomainName> running = all.unfinishedInWave(canary, candidate.domain());
            if (running.isPresent()) {
                return new Admission.Hold("canary wave '" + canary + "' is still running (" + running.get() + " is "
                        + statusOf(all, running.get()) + ")");
            }
        }
        long inWave = all.changingInWave(candidate.wave()) - (changingIn(all, candidate) ? 1 : 0);
        if (inWave >= limits.maxInFlightPerWave()) {
            return new Admission.Hold(inWave + " domains of wave '" + candidate.wave() + "' are changing; the limit is "
                    + limits.maxInFlightPerWave());
        }
        long tenantTotal = all.tenantDomains(candidate.tenant()) + (all.get(candidate.domain()).isPresent() ? 0 : 1);
        long tenantChanging = all.tenantChanging(candidate.tenant()) - (changingIn(all, candidate) ? 1 : 0);
        long allowed = Math.max(1, tenantTotal * limits.maxTenantPercent() / 100);
        if (tenantChanging >= allowed) {
            return new Admission.Hold(tenantChanging + " of tenant " + candidate.tenant() + "'s " + tenantTotal
                    + " domains are changing; the limit is " + limits.maxTenantPercent() + "% (" + allowed + ")");
        }
        return new Admission.Admit();
    }

    /** Whether the tally counts the candidate itself as changing (it is asked about before it changes, normally not). */
    private static boolean changingIn(WaveTally all, DomainStatus candidate) {
        return all.get(candidate.domain()).map(DomainStatus::changing).orElse(false);
    }

    private static WorkflowStatus statusOf(WaveTally all, DomainName domain) {
        return all.get(domain).map(DomainStatus::status).orElse(null);
    }
}
