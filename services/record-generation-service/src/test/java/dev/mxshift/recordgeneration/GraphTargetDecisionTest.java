package dev.mxshift.recordgeneration;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationRequested;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.TargetAssigned;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.DomainHistory;
import dev.mxshift.model.workflow.EventFactory;
import dev.mxshift.model.workflow.EventVerdict;
import dev.mxshift.model.workflow.NextAction;
import dev.mxshift.model.workflow.Workflow;
import dev.mxshift.model.workflow.WorkflowStatus;
import dev.mxshift.recordgeneration.GraphTargetDecision.Decision;
import dev.mxshift.recordgeneration.GraphTargetSource.Lookup;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Graph's answer and a domain's state in, what to append or how long to wait out: given a history, when Graph answers, then. */
class GraphTargetDecisionTest {

    private static final EventFactory EVENTS = new EventFactory(Clock.fixed(Instant.parse("2026-12-06T19:00:00Z"), ZoneOffset.UTC));
    private static final Duration AGAIN = Duration.ofMinutes(10);
    private static final Duration PROBLEM = Duration.ofHours(1);
    private static final DomainName TARGET = DomainName.of("contoso-com.o-v1.mx.microsoft");

    static DomainHistory blockedWithoutTarget(DomainName domain) {
        return blockedWithoutTarget(domain, TenantId.of("tenant-contoso"));
    }

    /** Imported without Microsoft's host, discovered, and blocked by preflight with TARGET_UNKNOWN. */
    static DomainHistory blockedWithoutTarget(DomainName domain, TenantId tenant) {
        DomainHistory h = new DomainHistory(domain, tenant);
        h.add(new MigrationRequested(ProviderRef.of("lab-powerdns", domain.value()), null, "w0", List.of(), "inventory", false));
        h.add(CooperativeWorld.successorOf(h.state()));
        h.add(new PreflightBlocked(List.of(new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                "run Enable-DnssecForVerifiedDomain and import its export"))));
        return h;
    }

    @Test
    void anAssignedHostGivesTheImportsEventAndTheReplayAttributedToGraphSoTheDomainGoesOn() {
        DomainHistory h = blockedWithoutTarget(DomainName.of("contoso.com"));
        assertThat(GraphTargetDecision.waiting(h.state())).isTrue();

        Decision d = GraphTargetDecision.decide(h.state(), new Lookup.Assigned(TARGET), EVENTS, "env:T", AGAIN, PROBLEM);

        List<EventEnvelope> events = ((Decision.Assign) d).events();
        assertThat(events).extracting(EventEnvelope::sequence).containsExactly(h.state().sequence() + 1, h.state().sequence() + 2);
        assertThat(events.get(0).payload()).isEqualTo(new TargetAssigned(TARGET, "Microsoft Graph"));
        assertThat(events.get(0).causationId()).isEqualTo(h.last().eventId());
        assertThat(events.get(1).payload()).isInstanceOf(RetryRequested.class);
        assertThat(events.get(1).causationId()).isEqualTo(events.get(0).eventId());
        assertThat(events).allSatisfy(e -> assertThat(e.actor()).isEqualTo(Actor.service("graph")));
        assertThat(events.get(0).actor()).hasToString("graph (SERVICE)");
        // the domain goes on by itself: discovery again, now with Microsoft's host
        assertThat(events.get(1).state().status()).isEqualTo(WorkflowStatus.REQUESTED);
        assertThat(events.get(1).state().targetHost()).isEqualTo(TARGET);
        assertThat(Workflow.next(events.get(1).state())).isInstanceOf(NextAction.Discover.class);
        // and once they are in the log the domain no longer waits: a second look decides nothing
        assertThat(GraphTargetDecision.decide(events.get(1).state(), new Lookup.Assigned(TARGET), EVENTS, "env:T", AGAIN, PROBLEM))
                .isInstanceOf(Decision.NotWaiting.class);
    }

    @Test
    void aRepeatDecidedFromTheSameStateIsStaleInTheHistory() {
        DomainHistory h = blockedWithoutTarget(DomainName.of("contoso.com"));
        List<EventEnvelope> first = ((Decision.Assign) GraphTargetDecision.decide(h.state(), new Lookup.Assigned(TARGET), EVENTS, "env:T", AGAIN, PROBLEM)).events();
        List<EventEnvelope> again = ((Decision.Assign) GraphTargetDecision.decide(h.state(), new Lookup.Assigned(TARGET), EVENTS, "env:T", AGAIN, PROBLEM)).events();
        List<EventEnvelope> log = new ArrayList<>(h.events());
        log.addAll(first);
        log.addAll(again);

        List<EventVerdict> verdicts = EventVerdict.of(log);
        assertThat(verdicts.subList(verdicts.size() - 2, verdicts.size())).allSatisfy(v ->
                assertThat(v.ignoredBecause()).startsWith("stale:").contains("asked by graph (SERVICE)"));
    }

    @Test
    void notYetAssignedWaitsAndLooksAgainLater() {
        DomainHistory h = blockedWithoutTarget(DomainName.of("fabrikam.com"));
        Decision d = GraphTargetDecision.decide(h.state(), new Lookup.NotYetAssigned("fabrikam-com.mail.protection.outlook.com"),
                EVENTS, "env:T", AGAIN, PROBLEM);
        assertThat(d).isInstanceOfSatisfying(Decision.LookAgain.class, l -> {
            assertThat(l.after()).isEqualTo(AGAIN);
            assertThat(l.why()).contains("fabrikam-com.mail.protection.outlook.com");
        });
    }

    @Test
    void aRefusedTokenIsOneReportForTheTokenAndAnUnknownDomainOnePerDomain() {
        DomainHistory a = blockedWithoutTarget(DomainName.of("a.example"));
        DomainHistory b = blockedWithoutTarget(DomainName.of("b.example"));
        Lookup refused = new Lookup.Unauthorized("Microsoft Graph refused the token env:T (401): InvalidAuthenticationToken: expired; it needs Domain.Read.All");
        Decision.Report ra = (Decision.Report) GraphTargetDecision.decide(a.state(), refused, EVENTS, "env:T", AGAIN, PROBLEM);
        Decision.Report rb = (Decision.Report) GraphTargetDecision.decide(b.state(), refused, EVENTS, "env:T", AGAIN, PROBLEM);
        assertThat(ra.key()).isEqualTo(rb.key()).isEqualTo("token env:T");
        assertThat(ra.problem()).contains("Domain.Read.All").contains("tenant-contoso");
        assertThat(ra.after()).isEqualTo(PROBLEM);

        Lookup unknown = new Lookup.UnknownDomain("a.example is not a domain of this tenant in Microsoft Graph: Request_ResourceNotFound");
        Decision.Report ua = (Decision.Report) GraphTargetDecision.decide(a.state(), unknown, EVENTS, "env:T", AGAIN, PROBLEM);
        assertThat(ua.key()).isEqualTo("a.example");
        assertThat(ua.problem()).contains("not a domain of this tenant");
    }

    @Test
    void throttlingPausesEveryLookupForTheRetryAfter() {
        DomainHistory h = blockedWithoutTarget(DomainName.of("busy.example"));
        assertThat(GraphTargetDecision.decide(h.state(), new Lookup.Throttled(Duration.ofSeconds(7)), EVENTS, "env:T", AGAIN, PROBLEM))
                .isEqualTo(new Decision.Pause(Duration.ofSeconds(7)));
    }

    @Test
    void aDomainWithATargetPausedNotEligibleOrBlockedForAnotherReasonIsNotGraphs() {
        DomainHistory imported = blockedWithoutTarget(DomainName.of("imported.example"));
        imported.add(new TargetAssigned(TARGET, "dnssec-enablement-tenant-contoso.csv line 2"));
        DomainHistory paused = blockedWithoutTarget(DomainName.of("paused.example"));
        paused.add(new Paused("alice", "customer freeze"));
        DomainHistory insecure = new DomainHistory(DomainName.of("insecure.example"), TenantId.of("tenant-contoso"));
        insecure.add(new MigrationRequested(ProviderRef.of("lab-powerdns", "insecure.example"), TARGET, "w0", List.of(), "inventory", false));
        insecure.add(CooperativeWorld.successorOf(insecure.state()));
        insecure.add(new PreflightBlocked(List.of(new Finding("ZONE_INSECURE", "the zone is not DNSSEC-secure", "sign it"))));

        DomainHistory nullMx = new DomainHistory(DomainName.of("nomail.example"), TenantId.of("tenant-contoso"));
        nullMx.add(new MigrationRequested(ProviderRef.of("lab-powerdns", "nomail.example"), null, "w0", List.of(), "inventory", false));
        nullMx.add(new dev.mxshift.model.event.Discovered(new dev.mxshift.model.event.DiscoverySnapshot(
                dev.mxshift.model.event.MxClassification.NULL_MX, "a null MX", null, List.of(), List.of(), false, false)));
        nullMx.add(new PreflightBlocked(List.of(new Finding("NOT_ELIGIBLE", "discovery classified the domain NULL_MX", "report only"),
                new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain", "run Enable-DnssecForVerifiedDomain"))));
        assertThat(nullMx.state().status()).isEqualTo(WorkflowStatus.BLOCKED);

        for (DomainHistory h : List.of(imported, paused, insecure, nullMx)) {
            assertThat(GraphTargetDecision.waiting(h.state())).as(h.state().domain().value()).isFalse();
            assertThat(GraphTargetDecision.decide(h.state(), new Lookup.Assigned(TARGET), EVENTS, "env:T", AGAIN, PROBLEM))
                    .isInstanceOf(Decision.NotWaiting.class);
        }
    }
}
