package dev.mxshift.validation.preflight;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MxHostKind;
import dev.mxshift.model.dns.MxRecord;
import dev.mxshift.model.dns.MxRecordSet;
import dev.mxshift.model.event.Finding;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.event.PreflightBlocked;
import dev.mxshift.model.event.PreflightPassed;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.validation.dane.DaneVerdict;
import dev.mxshift.validation.mtasts.MtaStsCheck;
import dev.mxshift.validation.signing.SigningPreflight;

import java.util.ArrayList;
import java.util.List;

/**
 * The gates before any change (the validation service's pure decision): every reason to block is listed, not just
 * the first, each with a stable code, a sentence and what to do. Gates: the domain is eligible; its legacy MX is
 * single, at preference 0 or 10 (Microsoft's precondition); the target host is known; the target resolves, is
 * secure and DANE-validates; the zone is secure (an insecure one as the domain's unsigned-zone policy says: moved
 * anyway and reported as not DANE-protected, or blocked; bogus blocks); an MTA-STS policy in testing or enforce mode covers the new host.
 */
public final class PreflightGate {

    private PreflightGate() {
    }

    public static MigrationEvent decide(MigrationState state, PreflightEvidence evidence, PreflightPolicy policy) {
        List<Finding> blocks = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        dev.mxshift.model.dnssec.ZoneSigningPlan signing = null;
        if (state.classification() == null || !state.classification().eligible()) {
            blocks.add(new Finding("NOT_ELIGIBLE", "discovery classified the domain " + state.classification(),
                    "only a domain whose MX is Exchange Online's legacy target is migrated; see the discovery reason"));
        }
        MxRecordSet mx = state.discoveredMx();
        if (mx != null) {
            List<MxRecord> legacy = mx.records().stream().filter(r -> r.kind() == MxHostKind.LEGACY_EXCHANGE_ONLINE).toList();
            if (legacy.size() != 1 || mx.records().size() != 1) {
                blocks.add(new Finding("LEGACY_MX_NOT_SINGLE", "the domain has " + mx.records().size() + " MX records ("
                        + mx + "); Microsoft's procedure starts from a single legacy MX", "remove the other MX records first"));
            } else if (legacy.get(0).preference() != 0 && legacy.get(0).preference() != 10) {
                blocks.add(new Finding("LEGACY_MX_PREFERENCE", "the legacy MX has preference " + legacy.get(0).preference()
                        + "; Microsoft's procedure expects 0 or 10", "set its preference to 0 or 10, then retry"));
            }
        }
        DomainName target = state.targetHost();
        if (target == null) {
            blocks.add(new Finding("TARGET_UNKNOWN", "Microsoft has not assigned the new MX host for this domain",
                    "run Enable-DnssecForVerifiedDomain -DomainName " + state.domain().value()
                            + " and import its DnssecMxValue (or configure the Microsoft Graph connector)"));
        } else if (evidence.target() == null) {
            blocks.add(new Finding("TARGET_NOT_CHECKED", "the target host " + target + " was not checked", "retry"));
        } else {
            DaneVerdict verdict = evidence.target().verdict();
            if (!(verdict instanceof DaneVerdict.Validated)) {
                blocks.add(new Finding("TARGET_DANE_" + code(verdict), "the target host " + target + " does not pass DANE: "
                        + describe(verdict), "wait for Microsoft to publish the host and its TLSA (15-30 minutes after"
                        + " enabling), check that the DnssecMxValue is right, then retry"));
            } else if (!evidence.target().warning().isEmpty()) {
                warnings.add(new Finding("TARGET_TLSA_ROLLOVER", evidence.target().warning(), ""));
            }
        }
        switch (evidence.zone().status()) {
            case SECURE -> {
            }
            case INSECURE -> {
                String why = "the zone is not DNSSEC-secure (" + evidence.zone().code() + ": " + evidence.zone().reason() + ")";
                switch (policy.unsignedZoneFor(state)) {
                    // RFC 7672 section 2.2: TLSA counts only where the MX lookup is secure; the move still protects nothing
                    case MIGRATE_INSECURE -> warnings.add(new Finding(dev.mxshift.model.event.UnsignedZonePolicy.ZONE_INSECURE, dev.mxshift.model.event.UnsignedZonePolicy.NOT_DANE_PROTECTED + ": " + why
                            + "; migrated anyway (policy migrate-insecure)", "sign the zone at its DNS provider and publish its DS at the registrar"));
                    case BLOCK -> blocks.add(new Finding(dev.mxshift.model.event.UnsignedZonePolicy.ZONE_INSECURE, why + ": senders cannot authenticate the MX lookup, so DANE"
                            + " will not protect it", "enable DNSSEC at the DNS provider and publish the DS at the registrar; or set the"
                            + " domain's unsigned-zone policy to migrate-insecure (inventory column unsigned_zone, or by wave or tenant)"));
                    case SIGN -> {
                        var verdict = evidence.signing();
                        if (verdict instanceof SigningPreflight.Proceed proceed) {
                            signing = new dev.mxshift.model.dnssec.ZoneSigningPlan(proceed.mode(), state.provider().zone(),
                                    DomainName.of(proceed.parent().toString(true)), proceed.path(),
                                    dev.mxshift.model.dnssec.ZoneSigningPlan.ECDSA_P256_SHA256, "NSEC");
                        } else if (verdict instanceof SigningPreflight.Blocked blocked) {
                            blocks.addAll(blocked.findings());
                        } else if (!(verdict instanceof SigningPreflight.AlreadySecure)) {
                            blocks.add(new Finding("ZONE_SIGNING_UNAVAILABLE", why + ", and its policy is to sign it, but no connector's"
                                    + " name servers and no parent's DS path are configured", "configure mxshift.validation.signing"
                                    + " (docs/runbook.md, \"Unsigned zones\"), or set the domain's unsigned-zone policy to migrate-insecure or block"));
                        }
                    }
                }
            }
            case BOGUS -> blocks.add(new Finding("ZONE_BOGUS", "the zone's DNSSEC is broken (" + evidence.zone().code() + ": "
                    + evidence.zone().reason() + "); validating senders cannot resolve its MX at all", "repair the zone's signing or its DS first"));
            case INDETERMINATE -> blocks.add(new Finding("ZONE_INDETERMINATE", "no trust anchor covers the zone", "check the validator's trust anchor"));
            case UPSTREAM_FAILURE -> blocks.add(new Finding("ZONE_LOOKUP_FAILED", "the zone could not be looked up: "
                    + evidence.zone().reason(), "retry; if it persists, check the zone's name servers"));
        }
        if (target != null) {
            MtaStsCheck.Verdict sts = MtaStsCheck.check(state.mtaSts(), List.of(target));
            if (sts.outcome() == MtaStsCheck.Outcome.NOT_COVERED) {
                Finding finding = new Finding("MTA_STS_NOT_COVERING", sts.reason(), "publish at https://mta-sts."
                        + state.domain().value() + "/.well-known/mta-sts.txt:\n" + sts.policyNeeded());
                if (policy.planUpdatesMtaSts()) {
                    warnings.add(finding);
                } else {
                    blocks.add(finding);
                }
            } else if (sts.outcome() == MtaStsCheck.Outcome.POLICY_UNAVAILABLE) {
                warnings.add(new Finding("MTA_STS_UNAVAILABLE", sts.reason(), "make the policy fetchable, or remove the _mta-sts record"));
            }
        }
        return blocks.isEmpty() ? new PreflightPassed(warnings, signing) : new PreflightBlocked(blocks);
    }

    static String code(DaneVerdict verdict) {
        return verdict.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    static String describe(DaneVerdict verdict) {
        if (verdict instanceof DaneVerdict.Failed failed) {
            return "no usable TLSA record matched the presented certificate: " + failed.attempts().stream()
                    .map(a -> a.record() + " (" + a.reason() + ")").toList();
        }
        if (verdict instanceof DaneVerdict.NoUsableTlsa none) {
            return "only unusable TLSA records (" + none.unusable() + "); usages 2 and 3 count for SMTP (RFC 7672 section 3.1.3)";
        }
        if (verdict instanceof DaneVerdict.HostInsecure v) {
            return v.reason();
        }
        if (verdict instanceof DaneVerdict.NoTlsa v) {
            return v.reason();
        }
        if (verdict instanceof DaneVerdict.TlsaBogus v) {
            return v.reason();
        }
        if (verdict instanceof DaneVerdict.TlsaLookupError v) {
            return v.reason();
        }
        return verdict.toString();
    }
}
