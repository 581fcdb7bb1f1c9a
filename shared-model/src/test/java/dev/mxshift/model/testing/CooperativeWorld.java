package dev.mxshift.model.testing;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.event.AwaitingExternalAction;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.Discovered;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.ExternalActionConfirmed;
import dev.mxshift.model.event.MigrationCompleted;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.PlanGenerated;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.RolledBack;
import dev.mxshift.model.event.StepApplied;
import dev.mxshift.model.event.StepVerified;
import dev.mxshift.model.event.WaitElapsed;
import dev.mxshift.model.event.WaitScheduled;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.List;

/**
 * A world in which every service succeeds: for a state, the event that the owner of {@link Workflow#next}
 * would emit. Used to drive whole migrations in tests without any I/O.
 */
public final class CooperativeWorld {

    private CooperativeWorld() {
    }

    public static MigrationRequested request(DomainName domain) {
        return new MigrationRequested(new ProviderRef("powerdns-lab", domain), Fixtures.targetHostOf(domain), "wave-1",
                List.of("lab"), "inventory tenants.csv");
    }

    /** The successful next event, or null when only a person can move the domain on (or nothing will). */
    public static MigrationEvent successorOf(MigrationState s) {
        if (s.status() == WorkflowStatus.NEW) {
            return request(s.domain());
        }
        NextAction next = Workflow.next(s);
        if (next instanceof NextAction.Discover) {
            return new Discovered(Fixtures.eligibleSnapshot(Fixtures.legacyMx(s.domain())));
        } else if (next instanceof NextAction.RunPreflight) {
            return s.classification().eligible() ? new PreflightPassed(List.of(), Fixtures.signingFor(s))
                    : new PreflightBlocked(List.of(new Finding("NOT_ELIGIBLE", "classified " + s.classification(), "report only")));
        } else if (next instanceof NextAction.GeneratePlan) {
            return PlanGenerated.of(Fixtures.microsoftPlan(s.discoveredMx(), s.targetHost(), s.signing()));
        } else if (next instanceof NextAction.ApplyStep a) {
            if (a.planStep().manualAction() != null) {
                return new AwaitingExternalAction(a.direction(), a.step(), a.planStep().manualAction(),
                        "at the registrar of " + s.domain() + ": " + a.planStep().describe());
            }
            return new StepApplied(a.direction(), a.step(), false, "serial 20261101" + String.format("%02d", a.step()), appliedKeys(s, a.planStep()));
        } else if (next instanceof NextAction.VerifyStep v) {
            return new StepVerified(v.direction(), v.step(), List.of(
                    new Evidence("ns1.lab (127.0.1.1)", "serves the step's target, RRSIG valid"),
                    new Evidence("unbound (127.0.0.53)", "secure (AD)")), seenKeys(s, v.planStep()));
        } else if (next instanceof NextAction.AwaitReverification r) {
            return new StepVerified(r.direction(), r.step(), List.of(new Evidence("ns1.lab (127.0.1.1)", "serves the step's target now")),
                    seenKeys(s, r.planStep()));
        } else if (next instanceof NextAction.ScheduleWait w) {
            return new WaitScheduled(w.direction(), w.step(), DomainHistory.EPOCH.plusSeconds(w.seconds()));
        } else if (next instanceof NextAction.AwaitTimer t) {
            return new WaitElapsed(t.direction(), t.step());
        } else if (next instanceof NextAction.RequestExternalAction x) {
            return new AwaitingExternalAction(x.direction(), x.step(), x.action(),
                    x.action().cmdlet() + " -DomainName " + s.domain());
        } else if (next instanceof NextAction.AwaitExternalConfirmation c) {
            return new ExternalActionConfirmed(c.direction(), c.step(), c.action(), "operator@hoster.example");
        } else if (next instanceof NextAction.Finish f) {
            return f.direction() == Direction.FORWARD ? new MigrationCompleted(s.liveMx()) : new RolledBack(s.liveMx());
        }
        return null;
    }

    /** What a DNSSEC step's push records: the keys it signed with, or the verified DS it submitted. */
    static dev.mxshift.model.dnssec.ZoneKeys appliedKeys(MigrationState s, dev.mxshift.model.plan.PlanStep step) {
        if (step instanceof dev.mxshift.model.plan.PlanStep.SignZone) {
            return Fixtures.zoneKeys(s.domain());
        }
        if (step instanceof dev.mxshift.model.plan.PlanStep.PublishDs) {
            return s.dnssecOrNone().keys();
        }
        return null;
    }

    /** What a DNSSEC step's verification sees: the keys served, with their TTLs; the DS at the parent with its TTL. */
    static dev.mxshift.model.dnssec.ZoneKeys seenKeys(MigrationState s, dev.mxshift.model.plan.PlanStep step) {
        if (step instanceof dev.mxshift.model.plan.PlanStep.SignZone || step instanceof dev.mxshift.model.plan.PlanStep.VerifyZoneSigned) {
            var k = Fixtures.zoneKeys(s.domain());
            return new dev.mxshift.model.dnssec.ZoneKeys(k.keyTags(), k.ds(), 3600, 0);
        }
        if (step instanceof dev.mxshift.model.plan.PlanStep.PublishDs || step instanceof dev.mxshift.model.plan.PlanStep.WithdrawDs) {
            var k = s.dnssecOrNone().keys();
            return new dev.mxshift.model.dnssec.ZoneKeys(k.keyTags(), k.ds(), 0, 86400);
        }
        return null;
    }

    /** Drives the history forward until nobody but a person could move it; returns how many events were added. */
    public static int runUntilStopped(DomainHistory history) {
        int added = 0;
        for (MigrationEvent e = successorOf(history.state()); e != null; e = successorOf(history.state())) {
            history.add(e);
            if (++added > 1_000) {
                throw new AssertionError("the workflow did not stop within 1000 events: " + history.state());
            }
        }
        return added;
    }

    /** A complete, successful migration of one domain. */
    public static DomainHistory migrated(DomainName domain) {
        DomainHistory history = DomainHistory.of(domain);
        runUntilStopped(history);
        return history;
    }
}
