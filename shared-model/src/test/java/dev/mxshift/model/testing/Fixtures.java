package dev.mxshift.model.testing;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.dns.ProviderRef;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.DiscoverySnapshot;
import dev.mxshift.model.event.MxClassification;
import dev.mxshift.model.plan.ExternalAction;
import dev.mxshift.model.plan.PlanStep;
import dev.mxshift.model.plan.StagedPlan;
import dev.mxshift.model.plan.StepPurpose;

import java.util.ArrayList;
import java.util.List;

/** Names and record sets the model tests share; they follow the shapes in mail-facts.md. */
public final class Fixtures {

    public static final DomainName DOMAIN = DomainName.of("contoso.com");
    public static final TenantId TENANT = TenantId.of("tenant-1");
    public static final DomainName LEGACY_HOST = DomainName.of("contoso-com.mail.protection.outlook.com");
    public static final DomainName TARGET_HOST = DomainName.of("contoso-com.o-v1.mx.microsoft");
    public static final ProviderRef PROVIDER = ProviderRef.of("powerdns-lab", "contoso.com");
    public static final long LOW_TTL = 300;

    private Fixtures() {
    }

    public static MxRecordSet legacyMx(DomainName domain) {
        return MxRecordSet.of(domain, 3600, new MxRecord(0, legacyHostOf(domain)));
    }

    public static DomainName legacyHostOf(DomainName domain) {
        return DomainName.of(domain.value().replace('.', '-') + ".mail.protection.outlook.com");
    }

    public static DomainName targetHostOf(DomainName domain) {
        return DomainName.of(domain.value().replace('.', '-') + ".o-v1.mx.microsoft");
    }

    public static DiscoverySnapshot eligibleSnapshot(MxRecordSet mx) {
        return new DiscoverySnapshot(MxClassification.LEGACY_EXCHANGE_ONLINE,
                "single MX at Exchange Online's legacy target", mx, List.of(mx.toRecordSet()),
                List.of("127.0.1.1"), true, true);
    }

    /**
     * Microsoft's documented order (mail-facts.md, "procedure, per domain"): lower the TTL and wait out the old
     * one; add the new MX at 20; new at 0 and legacy at 30; remove legacy; restore the TTL; enable SMTP DANE
     * inbound; verify DANE.
     */
    public static StagedPlan microsoftPlan(MxRecordSet discovered, DomainName target) {
        return microsoftPlan(discovered, target, null);
    }

    /** The same, after the DNSSEC stage when the preflight decided to sign or chain the zone. */
    public static StagedPlan microsoftPlan(MxRecordSet discovered, DomainName target, dev.mxshift.model.dnssec.ZoneSigningPlan signing) {
        DomainName domain = discovered.owner();
        List<PlanStep> steps = new ArrayList<>();
        if (signing != null) {
            steps.addAll(dev.mxshift.model.plan.DnssecStage.forward(signing));
        }
        MxRecordSet low = discovered.withTtl(LOW_TTL);
        steps.add(new PlanStep.ChangeMx(StepPurpose.LOWER_MX_TTL, discovered, low));
        steps.add(new PlanStep.Wait(StepPurpose.WAIT_OLD_TTL, discovered.ttl()));
        List<MxRecord> added = new ArrayList<>(low.records());
        added.add(new MxRecord(20, target));
        MxRecordSet withNew = low.withRecords(added);
        steps.add(new PlanStep.ChangeMx(StepPurpose.ADD_NEW_MX, low, withNew));
        List<MxRecord> promoted = new ArrayList<>();
        promoted.add(new MxRecord(0, target));
        low.records().forEach(r -> promoted.add(new MxRecord(30, r.exchange())));
        MxRecordSet promotedSet = low.withRecords(promoted);
        steps.add(new PlanStep.ChangeMx(StepPurpose.PROMOTE_NEW_MX, withNew, promotedSet));
        MxRecordSet newOnly = MxRecordSet.of(domain, LOW_TTL, new MxRecord(0, target));
        steps.add(new PlanStep.ChangeMx(StepPurpose.REMOVE_LEGACY_MX, promotedSet, newOnly));
        steps.add(new PlanStep.ChangeMx(StepPurpose.RESTORE_MX_TTL, newOnly, newOnly.withTtl(discovered.ttl())));
        steps.add(new PlanStep.External(StepPurpose.ENABLE_SMTP_DANE_INBOUND, ExternalAction.ENABLE_SMTP_DANE_INBOUND));
        steps.add(new PlanStep.VerifyDane(StepPurpose.VERIFY_DANE, target));
        return new StagedPlan(domain, target, discovered, steps);
    }

    /**
     * What a cooperative preflight decides for the domain's zone: sign it (chained through CDS) when its request asked for
     * the {@code sign} policy, a manual chain for a domain whose name starts with "manual", nothing otherwise.
     */
    public static dev.mxshift.model.dnssec.ZoneSigningPlan signingFor(dev.mxshift.model.workflow.MigrationState s) {
        if (s.unsignedZone() != dev.mxshift.model.event.UnsignedZonePolicy.SIGN) {
            return null;
        }
        DomainName parent = DomainName.of(s.domain().value().substring(s.domain().value().indexOf('.') + 1));
        return s.domain().value().startsWith("manual")
                ? dev.mxshift.model.dnssec.ZoneSigningPlan.sign(s.domain(), parent, dev.mxshift.model.dnssec.ParentPath.MANUAL)
                : dev.mxshift.model.dnssec.ZoneSigningPlan.sign(s.domain(), parent, dev.mxshift.model.dnssec.ParentPath.CDS);
    }

    /** A zone's signing key as a provider would report it: one CSK, its tag derived from the name, and its DS. */
    public static dev.mxshift.model.dnssec.ZoneKeys zoneKeys(DomainName zone) {
        int tag = Math.floorMod(zone.value().hashCode(), 65536);
        String digest = String.format("%064X", new java.math.BigInteger(1, zone.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).mod(java.math.BigInteger.TWO.pow(255)));
        return new dev.mxshift.model.dnssec.ZoneKeys(List.of(tag), List.of(tag + " 13 2 " + digest));
    }
}
