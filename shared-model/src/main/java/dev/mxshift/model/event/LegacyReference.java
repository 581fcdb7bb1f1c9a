package dev.mxshift.model.event;

import java.util.Comparator;

/**
 * One record of the domain's zone, other than the MX the plan moves, that still depends on Exchange Online's legacy
 * inbound hosts, as the zone sweep found it (decision 0028): the record, what sort of dependence, the legacy host, why it
 * matters, the fix and how sure the sweep is. Words, not the sweep's types: the model does not see discovery's.
 *
 * @param zone       the zone swept (no final dot)
 * @param owner      the record's owner (no final dot)
 * @param type       its type mnemonic
 * @param ttl        its TTL
 * @param rdata      its data in presentation form
 * @param kind       the sort of dependence: ALIAS, DNAME, SRV, OTHER_MX, HARD_CODED_ADDRESS, SPF_ADDRESS_PIN, SPF_HOST_PIN
 * @param legacy     the legacy host it depends on (or whose address it holds)
 * @param why        why it matters, in a sentence
 * @param fix        what to change
 * @param confidence CERTAIN (the record names the host) or LIKELY (it holds an address the host has now)
 */
public record LegacyReference(String zone, String owner, String type, long ttl, String rdata, String kind, String legacy, String why,
                              String fix, String confidence) {

    /** The order references are kept in, so that the same findings are the same event, whatever order a sweep found them in. */
    public static final Comparator<LegacyReference> ORDER = Comparator.comparing(LegacyReference::owner).thenComparing(LegacyReference::type)
            .thenComparing(LegacyReference::rdata).thenComparing(LegacyReference::kind).thenComparing(LegacyReference::legacy);

    public LegacyReference {
        String event = "LegacyReference";
        Checks.text(zone, event, "zone");
        Checks.text(owner, event, "owner");
        Checks.text(type, event, "type");
        Checks.text(rdata, event, "rdata");
        Checks.text(kind, event, "kind");
        Checks.text(legacy, event, "legacy");
        Checks.text(why, event, "why");
        Checks.text(fix, event, "fix");
        Checks.text(confidence, event, "confidence");
    }

    /** As printed: {@code relay.example.com 3600 CNAME x.mail.protection.outlook.com.}. */
    public String record() {
        return owner + " " + ttl + " " + type + " " + rdata;
    }
}
