package dev.mxshift.validation.mtasts;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.MtaStsPolicy;
import dev.mxshift.model.event.MtaStsSnapshot;

import java.util.List;
import java.util.Locale;

/**
 * Whether a domain's MTA-STS policy lets senders deliver to a set of MX hosts (RFC 8461 section 4.1: each host
 * must match an {@code mx} pattern, where {@code *.} stands for exactly one label, so {@code *.mx.microsoft} does
 * not cover {@code contoso-com.o-v1.mx.microsoft}), and if not, the exact policy text that would.
 */
public final class MtaStsCheck {

    public enum Outcome {
        /** No {@code _mta-sts} record: senders do not use MTA-STS for the domain. */
        NO_POLICY,
        /** Announced, but the policy could not be fetched: senders that have it cached keep using it. */
        POLICY_UNAVAILABLE,
        /** Mode none: senders apply nothing. */
        NOT_ENFORCED,
        COVERED,
        /** Testing or enforce mode, and a host is not covered: with enforce, senders refuse to deliver to it. */
        NOT_COVERED
    }

    /** The outcome, the hosts not covered, and the policy text that would cover them (empty when nothing is needed). */
    public record Verdict(Outcome outcome, List<DomainName> uncovered, String mode, long maxAge, String policyNeeded, String reason) {
    }

    private MtaStsCheck() {
    }

    public static Verdict check(MtaStsSnapshot mtaSts, List<DomainName> hosts) {
        if (mtaSts == null) {
            return new Verdict(Outcome.NO_POLICY, List.of(), "", 0, "", "no _mta-sts record");
        }
        MtaStsPolicy policy = mtaSts.policy();
        if (policy == null) {
            return new Verdict(Outcome.POLICY_UNAVAILABLE, List.of(), "", 0, "", "_mta-sts announces policy id " + mtaSts.id()
                    + " but the policy could not be fetched; senders keep a cached one for its max_age");
        }
        String mode = policy.mode().name().toLowerCase(Locale.ROOT);
        if (policy.mode() == MtaStsPolicy.Mode.NONE) {
            return new Verdict(Outcome.NOT_ENFORCED, List.of(), mode, policy.maxAge(), "", "mode none: senders apply nothing");
        }
        List<DomainName> uncovered = hosts.stream().filter(h -> !policy.covers(h)).toList();
        if (uncovered.isEmpty()) {
            return new Verdict(Outcome.COVERED, List.of(), mode, policy.maxAge(), "", "the " + mode + " policy covers " + hosts);
        }
        MtaStsPolicy needed = policy;
        for (DomainName host : uncovered) {
            needed = needed.allowing(host);
        }
        return new Verdict(Outcome.NOT_COVERED, uncovered, mode, policy.maxAge(), needed.text(), "the " + mode + " policy (mx: "
                + String.join(", ", policy.mx()) + "; a '*.' pattern covers one label only, RFC 8461 section 4.1) does not cover "
                + uncovered + "; publish the policy text given, then change the _mta-sts id so that senders fetch it"
                + " (RFC 8461 section 5.1)");
    }
}
