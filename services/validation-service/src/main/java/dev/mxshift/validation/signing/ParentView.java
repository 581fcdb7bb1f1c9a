package dev.mxshift.validation.signing;

import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;

import java.util.List;
import java.util.Set;

/**
 * A zone as its parent and the validating resolver see it: what each server of the parent zone serves for the child
 * (its DS set with TTL, the delegation's NS names), the zone's own keys (fetched with checking disabled, to judge a
 * DS by), and the resolver's answer for the zone's SOA. Gathered by {@link ParentSurvey}; judged by
 * {@link ParentDsCheck} and {@link SigningPreflight}.
 */
public record ParentView(Name zone, Name parent, List<ParentServer> servers, RRset zoneKeys, ResolverAnswer resolver) {

    public ParentView {
        servers = List.copyOf(servers);
    }

    /**
     * One server of the parent zone, asked directly: its DS set for the child (null: none; with its RRSIGs), the NS
     * names its delegation gives, whether it answered the DS question with authority, or why it did not answer.
     */
    public record ParentServer(String server, String failure, boolean authoritative, RRset ds, Set<Name> delegation) {

        public ParentServer {
            delegation = delegation == null ? Set.of() : Set.copyOf(delegation);
        }

        public static ParentServer unreachable(String server, String failure) {
            return new ParentServer(server, failure, false, null, Set.of());
        }
    }

    /**
     * The validating resolver's answer for the zone's SOA, asked with DO: its rcode, the AD bit, the extended DNS error
     * (RFC 8914, null when none) and, after a SERVFAIL, the rcode of the same question with checking disabled (a
     * SERVFAIL both ways is the upstream failing, not DNSSEC; mail-facts.md: keep the reason).
     */
    public record ResolverAnswer(int rcode, boolean authenticated, Integer extendedError, String extendedErrorText,
                                 Integer rcodeWithCheckingDisabled) {

        public enum Status { SECURE, INSECURE, BOGUS, FAILED }

        public Status status() {
            if (authenticated && rcode != Rcode.SERVFAIL) {
                return Status.SECURE;
            }
            if (rcode != Rcode.SERVFAIL) {
                return Status.INSECURE;
            }
            // A SERVFAIL with checking disabled too means the data could not be fetched at all (a lame delegation,
            // servers down): a failure, whatever DNSSEC words the resolver put on the first SERVFAIL (a signed zone
            // whose servers refuse it gets "DNSKEY Missing"). Bogus data is still served when checking is disabled.
            if (rcodeWithCheckingDisabled != null && rcodeWithCheckingDisabled == Rcode.SERVFAIL) {
                return Status.FAILED;
            }
            if (extendedError != null && dnssecError(extendedError)) {
                return Status.BOGUS;
            }
            return rcodeWithCheckingDisabled != null ? Status.BOGUS : Status.FAILED;
        }

        /** The EDE codes that say the DNSSEC data was wrong (RFC 8914 sections 4.7 to 4.13: DNSSEC Bogus to NSEC Missing). */
        private static boolean dnssecError(int code) {
            return code >= ExtendedErrorCodeOption.DNSSEC_BOGUS && code <= ExtendedErrorCodeOption.NSEC_MISSING;
        }

        public String describe() {
            String words = switch (status()) {
                case SECURE -> "secure";
                case INSECURE -> "insecure (" + Rcode.string(rcode) + " without AD)";
                case BOGUS -> "bogus (SERVFAIL" + (rcodeWithCheckingDisabled != null ? ", " + Rcode.string(rcodeWithCheckingDisabled)
                        + " with checking disabled" : "") + ")";
                case FAILED -> "failing (SERVFAIL even with checking disabled)";
            };
            return extendedError == null ? words : words + ", extended error " + extendedError + " "
                    + ExtendedErrorCodeOption.text(extendedError) + (extendedErrorText == null || extendedErrorText.isEmpty() ? "" : ": " + extendedErrorText);
        }
    }
}
