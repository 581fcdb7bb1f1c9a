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

    /** One domain as the gate sees it. {@code wave} may be null (the default wave). */
    public record DomainStatus(DomainName domain, TenantId tenant, String wave, WorkflowStatus status) {
        /** Started writing and not yet finished: its records may be anywhere between the old and new sets. */
        boolean changing() {
            return status == WorkflowStatus.MIGRATING || status == WorkflowStatus.ROLLING_BACK
                    || status == WorkflowStatus.FAILED || status == WorkflowStatus.CONFLICT;
        }

        /** Ended in a way that should stop a canary: a failure, a conflict, or a rollback. */
        boolean unclean() {
            return status == WorkflowStatus.FAILED || status == WorkflowStatus.CONFLICT
                    || status == WorkflowStatus.ROLLING_BACK || status == WorkflowStatus.ROLLED_BACK;
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
        int canaryIndex = candidate.wave() == null ? -1 : limits.canaryWaves().indexOf(candidate.wave());
        int earlier = canaryIndex >= 0 ? canaryIndex : limits.canaryWaves().size();
        for (int i = 0; i < earlier; i++) {
            String canary = limits.canaryWaves().get(i);
            for (DomainStatus other : all) {
                if (Objects.equals(other.wave(), canary) && !other.domain().equals(candidate.domain())) {
                    if (other.unclean()) {
                        return new Admission.Hold("canary wave '" + canary + "' did not complete cleanly: " + other.domain()
                                + " is " + other.status() + "; resolve it (retry or roll back) before later waves start");
                    }
                    if (other.changing() || other.status() == WorkflowStatus.REQUESTED || other.status() == WorkflowStatus.DISCOVERED
                            || other.status() == WorkflowStatus.READY) {
                        return new Admission.Hold("canary wave '" + canary + "' is still running (" + other.domain() + " is " + other.status() + ")");
                    }
                }
            }
        }
        long inWave = all.stream().filter(o -> Objects.equals(o.wave(), candidate.wave()) && o.changing()
                && !o.domain().equals(candidate.domain())).count();
        if (inWave >= limits.maxInFlightPerWave()) {
            return new Admission.Hold(inWave + " domains of wave '" + candidate.wave() + "' are changing; the limit is "
                    + limits.maxInFlightPerWave());
        }
        long tenantTotal = all.stream().filter(o -> o.tenant().equals(candidate.tenant())).count();
        long tenantChanging = all.stream().filter(o -> o.tenant().equals(candidate.tenant()) && o.changing()
                && !o.domain().equals(candidate.domain())).count();
        long allowed = Math.max(1, tenantTotal * limits.maxTenantPercent() / 100);
        if (tenantChanging >= allowed) {
            return new Admission.Hold(tenantChanging + " of tenant " + candidate.tenant() + "'s " + tenantTotal
                    + " domains are changing; the limit is " + limits.maxTenantPercent() + "% (" + allowed + ")");
        }
        return new Admission.Admit();
    }
}
