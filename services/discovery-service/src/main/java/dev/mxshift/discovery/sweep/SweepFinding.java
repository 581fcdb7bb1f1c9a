package dev.mxshift.discovery.sweep;

/**
 * One record of a zone that still depends on Exchange Online's legacy inbound hosts, other than the MX the migration
 * plan moves: what it is, why it matters, what to do and how sure the sweep is.
 *
 * @param zone       the zone swept (no final dot)
 * @param owner      the record's owner (no final dot)
 * @param type       its type mnemonic
 * @param rdata      its data in presentation form
 * @param kind       what sort of dependence
 * @param legacy     the legacy host (or the legacy host an address came from) it depends on
 * @param why        why it matters, in a sentence
 * @param fix        what to change, naming the record and, where known, the mx.microsoft host
 * @param confidence how sure the sweep is that this is a dependence on the legacy hosts
 */
public record SweepFinding(String zone, String owner, String type, long ttl, String rdata, Kind kind, String legacy, String why, String fix,
                           Confidence confidence) {

    public enum Kind {
        /** A CNAME to a legacy host: a relay name, a mail./smtp. alias. */
        ALIAS("alias"),
        /** A DNAME into a legacy suffix: every name below the owner is an alias of a legacy name. */
        DNAME("DNAME"),
        /** An SRV record whose target is a legacy host. */
        SRV("SRV target"),
        /** An MX the plan does not move (a subdomain's, or any owner not in the inventory) to a legacy host. */
        OTHER_MX("MX outside the plan"),
        /** An A or AAAA record holding an address the legacy hosts resolve to: a copy of it. */
        HARD_CODED_ADDRESS("hard-coded address"),
        /** An SPF {@code ip4:}/{@code ip6:} of a legacy address. */
        SPF_ADDRESS_PIN("SPF address pin"),
        /** An SPF {@code a:}/{@code mx:} naming a legacy host. */
        SPF_HOST_PIN("SPF host pin");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** As a person reads it in the sweep's text report. */
        public String label() {
            return label;
        }
    }

    public enum Confidence {
        /** The record names a legacy host: it depends on it by construction. */
        CERTAIN,
        /** The record holds an address a legacy host has now: almost surely a copy, though Microsoft's addresses are shared. */
        LIKELY
    }

    /** As printed: {@code relay.example.com CNAME x.mail.protection.outlook.com.}. */
    public String record() {
        return owner + " " + ttl + " " + type + " " + rdata;
    }
}
