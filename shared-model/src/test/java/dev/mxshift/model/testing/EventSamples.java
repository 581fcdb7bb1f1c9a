package dev.mxshift.model.testing;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.Actor;
import dev.mxshift.model.event.ApplyFailureKind;
import dev.mxshift.model.event.Cancelled;
import dev.mxshift.model.event.Direction;
import dev.mxshift.model.event.DiscoveryFailed;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.Evidence;
import dev.mxshift.model.event.FailureKind;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationFailed;
import dev.mxshift.model.event.Paused;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.Resumed;
import dev.mxshift.model.event.RetryMode;
import dev.mxshift.model.event.RetryRequested;
import dev.mxshift.model.event.RollbackRequested;
import dev.mxshift.model.event.StepApplyFailed;
import dev.mxshift.model.event.StepVerificationFailed;
import dev.mxshift.model.workflow.WorkflowStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mxshift.model.testing.CooperativeWorld.successorOf;

/**
 * One realistic envelope of every event type, each produced by a legal transition, so that golden files show
 * real states, not hand-made ones. The first envelope of each type across a few scenarios is taken.
 */
public final class EventSamples {

    private EventSamples() {
    }

    /**
     * The samples of the golden files: those of {@link #beforeSchema5()}, except that the events whose shape the DNSSEC
     * stage extended (schema 5) are taken from a domain in that stage, so their files show what they carry there.
     */
    public static Map<String, EventEnvelope> byType() {
        Map<String, EventEnvelope> samples = beforeSchema5();
        for (EventEnvelope event : dnssecStage().events()) {
            boolean shows = event.payload() instanceof dev.mxshift.model.event.StepApplied a && a.keys() != null
                    || event.payload() instanceof dev.mxshift.model.event.StepVerified v && v.keys() != null
                    || event.payload() instanceof dev.mxshift.model.event.PreflightPassed p && p.signing() != null
                    || event.payload() instanceof RollbackRequested r && r.unsign();
            if (shows && !DNSSEC_TAKEN.contains(event.type())) {
                samples.put(event.type(), PERSON_CAUSED.containsKey(event.type()) ? event.causedBy(PERSON_CAUSED.get(event.type())) : event);
                DNSSEC_TAKEN.add(event.type());
            }
        }
        DNSSEC_TAKEN.clear();
        samples.put("LegacyReferencesFound", legacyReferencesFound());
        samples.put("FixesApproved", fixesApproved());
        return samples;
    }

    private static final java.util.Set<String> DNSSEC_TAKEN = new java.util.HashSet<>();

    /**
     * The DNSSEC stage (schema 5): an unsigned zone signed, chained through CDS and migrated, then rolled back with its
     * signing undone.
     */
    public static DomainHistory dnssecStage() {
        DomainName zone = DomainName.of("wideworldimporters.example");
        DomainHistory history = DomainHistory.of(zone);
        history.add(new dev.mxshift.model.event.MigrationRequested(dev.mxshift.model.dns.ProviderRef.of("powerdns-lab", zone.value()),
                Fixtures.targetHostOf(zone), "wave-1", List.of("lab"), "inventory tenants.csv", false,
                dev.mxshift.model.event.UnsignedZonePolicy.SIGN));
        CooperativeWorld.runUntilStopped(history);
        history.add(new RollbackRequested("operator@hoster.example", "customer asked to go back", true));
        CooperativeWorld.runUntilStopped(history);
        return history;
    }

    /** One envelope of every event type from the scenarios that wrote the files of schemas 1 to 4. */
    public static Map<String, EventEnvelope> beforeSchema5() {
        Map<String, EventEnvelope> samples = new LinkedHashMap<>();
        for (DomainHistory history : scenarios()) {
            for (EventEnvelope event : history.events()) {
                samples.putIfAbsent(event.type(), event);
            }
        }
        // The audit trail (schema 4): what a person or a token asked for names them; a service's own events name nobody.
        PERSON_CAUSED.forEach((type, actor) -> samples.computeIfPresent(type, (t, event) -> event.causedBy(actor)));
        return samples;
    }

    private static final Map<String, Actor> PERSON_CAUSED = Map.of(
            "MigrationRequested", Actor.cli("hoster-ops"),
            "TargetAssigned", Actor.api("tenant-1-portal"),
            "Started", Actor.cli("operator"),
            "Paused", Actor.cli("operator"),
            "Resumed", Actor.cli("operator"),
            "Cancelled", Actor.api("hoster-automation"),
            "RollbackRequested", Actor.cli("operator"),
            "ExternalActionConfirmed", Actor.api("hoster-automation"));

    private static List<DomainHistory> scenarios() {
        DomainName contoso = Fixtures.DOMAIN;

        // A full migration, then rolled back after completion.
        DomainHistory completedThenRolledBack = CooperativeWorld.migrated(contoso);
        completedThenRolledBack.add(new RollbackRequested("operator@hoster.example", "customer asked to go back"));
        CooperativeWorld.runUntilStopped(completedThenRolledBack);

        DomainName fabrikam = DomainName.of("fabrikam.example");
        DomainHistory discoveryFailed = DomainHistory.of(fabrikam);
        discoveryFailed.add(successorOf(discoveryFailed.state()));
        discoveryFailed.add(new DiscoveryFailed(FailureKind.RETRYABLE, "SERVFAIL from every authoritative server after 3 tries"));
        discoveryFailed.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "retry-policy"));

        DomainName northwind = DomainName.of("northwind.example");
        DomainHistory blocked = DomainHistory.of(northwind);
        blocked.add(successorOf(blocked.state()));
        blocked.add(successorOf(blocked.state()));
        blocked.add(new PreflightBlocked(List.of(new Finding("MTA_STS_WILDCARD",
                "the enforce policy lists *.mx.microsoft, which does not match " + Fixtures.targetHostOf(northwind),
                "publish mx: " + Fixtures.targetHostOf(northwind) + " and a new policy id"))));
        blocked.add(new Cancelled("operator@hoster.example", "customer moves to another provider"));

        DomainName tailspin = DomainName.of("tailspin.example");
        DomainHistory conflicted = DomainHistory.of(tailspin);
        while (conflicted.state().status() != WorkflowStatus.MIGRATING) {
            conflicted.add(successorOf(conflicted.state()));
        }
        conflicted.add(new Paused("operator@hoster.example", "change freeze"));
        conflicted.add(new Resumed("operator@hoster.example"));
        MxRecordSet edited = MxRecordSet.of(tailspin, 3600, new MxRecord(0, Fixtures.legacyHostOf(tailspin)),
                new MxRecord(10, DomainName.of("backup-mx.tailspin.example")));
        conflicted.add(new StepApplyFailed(Direction.FORWARD, 0, ApplyFailureKind.CONFLICT,
                "the MX set at powerdns-lab differs from the plan's expected-before set", edited.toRecordSet()));

        DomainName litware = DomainName.of("litware.example");
        DomainHistory verificationFailed = DomainHistory.of(litware);
        while (verificationFailed.state().status() != WorkflowStatus.MIGRATING || verificationFailed.state().stepIndex() < 2
                || verificationFailed.state().phase() == dev.mxshift.model.workflow.StepPhase.PENDING) {
            verificationFailed.add(successorOf(verificationFailed.state()));
        }
        verificationFailed.add(new StepVerificationFailed(Direction.FORWARD, 2,
                "ns2.lab still serves the old MX set after 10 minutes",
                List.of(new Evidence("ns2.lab (127.0.1.2)", "SOA serial 2026110100, expected at least 2026110102"))));
        verificationFailed.add(new RetryRequested(RetryMode.FROM_FAILED_STEP, "operator@hoster.example"));
        verificationFailed.add(new MigrationFailed("verification did not converge within the deadline"));

        // Microsoft's host learned after the preflight blocked for want of it (last, so earlier samples keep their place).
        DomainName adatum = DomainName.of("adatum.example");
        DomainHistory targetLater = DomainHistory.of(adatum);
        targetLater.add(new dev.mxshift.model.event.MigrationRequested(Fixtures.PROVIDER, null, "wave-1", List.of(), "inventory tenants.csv"));
        targetLater.add(successorOf(targetLater.state()));
        targetLater.add(new PreflightBlocked(List.of(new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host",
                "run Enable-DnssecForVerifiedDomain and import its CSV"))));
        targetLater.add(new dev.mxshift.model.event.TargetAssigned(Fixtures.targetHostOf(adatum), "dnssec-enablement-tenant-1.csv line 2"));

        // Imported on hold (schema 3), then started by an operator.
        DomainName alpine = DomainName.of("alpine.example");
        DomainHistory held = DomainHistory.of(alpine);
        held.add(new dev.mxshift.model.event.MigrationRequested(Fixtures.PROVIDER, Fixtures.targetHostOf(alpine), "wave-2",
                List.of("canary"), "inventory tenants.csv", true));
        held.add(new dev.mxshift.model.event.Started("operator@hoster.example"));

        // A step not seen yet, checked again by a durable timer (schema 3), then seen.
        DomainName proseware = DomainName.of("proseware.example");
        DomainHistory rechecked = DomainHistory.of(proseware);
        while (rechecked.state().status() != WorkflowStatus.MIGRATING || rechecked.state().phase() != dev.mxshift.model.workflow.StepPhase.APPLIED) {
            rechecked.add(successorOf(rechecked.state()));
        }
        rechecked.add(new dev.mxshift.model.event.VerificationRetryScheduled(Direction.FORWARD, rechecked.state().stepIndex(), 1,
                DomainHistory.EPOCH.plusSeconds(3600), "ns2.lab still serves the old MX set",
                List.of(new Evidence("ns2.lab (127.0.1.2)", "SOA serial 2026110100, expected at least 2026110101"))));
        rechecked.add(successorOf(rechecked.state()));

        return List.of(completedThenRolledBack, discoveryFailed, blocked, conflicted, verificationFailed, targetLater, held, rechecked);
    }

    /** After the move, the zone sweep (schema 6) finds a relay alias and a copied address still on the legacy host. */
    public static EventEnvelope legacyReferencesFound() {
        DomainName woodgrove = DomainName.of("woodgrove.example");
        DomainHistory swept = CooperativeWorld.migrated(woodgrove);
        return swept.add(new dev.mxshift.model.event.LegacyReferencesFound(legacyReferences(woodgrove), "sweep through powerdns-lab"))
                .causedBy(Actor.cli("operator"));
    }

    /** After the sweep, an operator approves the fix plan: the relay alias moves to the mx.microsoft host (decision 0036). */
    public static EventEnvelope fixesApproved() {
        DomainName woodgrove = DomainName.of("woodgrove.example");
        DomainHistory swept = CooperativeWorld.migrated(woodgrove);
        swept.add(new dev.mxshift.model.event.LegacyReferencesFound(legacyReferences(woodgrove), "sweep through powerdns-lab"));
        var fixes = dev.mxshift.model.workflow.LegacyFixes.planFor(swept.state());
        return swept.add(new dev.mxshift.model.event.FixesApproved(fixes.steps(), fixes.checksum())).causedBy(Actor.cli("operator"));
    }

    /** Two references of a zone, as the sweep words them: a relay alias (certain) and a hard-coded address (likely). */
    public static List<dev.mxshift.model.event.LegacyReference> legacyReferences(DomainName domain) {
        String legacy = Fixtures.legacyHostOf(domain).value();
        String target = Fixtures.targetHostOf(domain).value();
        return List.of(
                new dev.mxshift.model.event.LegacyReference(domain.value(), "relay." + domain.value(), "CNAME", 3600, legacy + ".", "ALIAS", legacy,
                        "relay." + domain.value() + " aliases Exchange Online's legacy inbound host " + legacy + ", which stops answering"
                                + " when Microsoft retires it", "alias relay." + domain.value() + " to the domain's mx.microsoft host " + target,
                        "CERTAIN"),
                new dev.mxshift.model.event.LegacyReference(domain.value(), "smtp." + domain.value(), "A", 3600, "192.0.2.25", "HARD_CODED_ADDRESS",
                        legacy, "smtp." + domain.value() + " holds 192.0.2.25, an address of Exchange Online's legacy inbound host " + legacy
                                + " now", "replace the hard-coded address with a CNAME to " + target, "LIKELY"));
    }
}
