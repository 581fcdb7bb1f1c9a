package dev.mxshift.lab;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a lab TLD's registry takes DS records, declared in the catalogue's {@code registries:} list. A {@code cds}
 * registry scans its children for CDS/CDNSKEY as .ch, .se or .cz do (RFC 7344, RFC 8078); a {@code manual} one
 * ignores them, as most gTLDs do (the DS comes through a registrar or a person).
 *
 * @param tld          the TLD, lower case, without dots
 * @param dsPolicy     {@link DsPolicy#CDS} or {@link DsPolicy#MANUAL}
 * @param observations consecutive identical, consistent, validating observations needed before a first DS is
 *                     published (RFC 8078 section 3.3, "accept after delay"); the real .ch wants 3 runs over 3 days
 * @param scanInterval time between two scans of every delegation (the real .ch scans daily)
 * @param dsTtl        TTL of the DS records the scanner publishes; short in the lab so Unbound sees a change in seconds
 * @param authenticatedBootstrap whether a first DS is also taken at once, after one scan, when the child's DNS operator
 *                     vouches for its CDS/CDNSKEY with RFC 9615 signals in its own signed zone ({@link BootstrapSignals}),
 *                     as SWITCH does for .ch and .li; without valid signals the observation count applies
 */
public record RegistryPolicy(String tld, DsPolicy dsPolicy, int observations, Duration scanInterval, long dsTtl,
                             boolean authenticatedBootstrap) {

    public enum DsPolicy { CDS, MANUAL }

    /** The lab compresses the real day of a DS TTL (and the hour of a negative-caching TTL) to this many seconds. */
    public static final long LAB_DS_TTL = 2;
    /** SOA minimum (RFC 2308 negative-caching TTL) of a CDS-scanning TLD: a resolver notices a new DS within it. */
    public static final long LAB_NEGATIVE_TTL = 2;

    /** The YAML shape of one entry; every field is checked by {@link #fromSpecs}. */
    public record Spec(String tld, @JsonProperty("ds-policy") String dsPolicy, Integer observations,
                       @JsonProperty("scan-interval") String scanInterval,
                       @JsonProperty("authenticated-bootstrap") Boolean authenticatedBootstrap) {
    }

    public boolean scansCds() {
        return dsPolicy == DsPolicy.CDS;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s)");

    /** Checks each entry and names the file and field of the first bad value. */
    public static List<RegistryPolicy> fromSpecs(List<Spec> specs, String source) {
        List<RegistryPolicy> policies = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            String where = source + ", registries[" + (i + 1) + "]";
            if (spec == null || spec.tld() == null || !spec.tld().toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException(where + ".tld: '" + (spec == null ? null : spec.tld())
                        + "' is not a TLD (one label of letters, digits and dashes, without dots)");
            }
            String tld = spec.tld().toLowerCase(Locale.ROOT);
            if (!seen.add(tld)) {
                throw new IllegalArgumentException(where + ".tld: '" + tld + "' is declared twice");
            }
            DsPolicy policy;
            if ("cds".equals(spec.dsPolicy())) {
                policy = DsPolicy.CDS;
            } else if ("manual".equals(spec.dsPolicy())) {
                policy = DsPolicy.MANUAL;
            } else {
                throw new IllegalArgumentException(where + ".ds-policy: '" + spec.dsPolicy() + "' is not one of cds, manual");
            }
            int observations = spec.observations() == null ? 3 : spec.observations();
            if (observations < 1 || observations > 100) {
                throw new IllegalArgumentException(where + ".observations: " + observations + " is not between 1 and 100");
            }
            String interval = spec.scanInterval() == null ? "1s" : spec.scanInterval();
            Matcher m = DURATION.matcher(interval);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ".scan-interval: '" + interval + "' is not a duration such as 500ms or 2s");
            }
            Duration scan = m.group(2).equals("ms") ? Duration.ofMillis(Long.parseLong(m.group(1))) : Duration.ofSeconds(Long.parseLong(m.group(1)));
            if (scan.toMillis() < 100 || scan.toSeconds() > 3600) {
                throw new IllegalArgumentException(where + ".scan-interval: " + interval + " is not between 100ms and 3600s");
            }
            if (spec.authenticatedBootstrap() != null && policy == DsPolicy.MANUAL) {
                throw new IllegalArgumentException(where + ".authenticated-bootstrap: a manual registry scans nothing, so it takes no"
                        + " RFC 9615 signals either; remove the field or make the registry ds-policy: cds");
            }
            // On by default, as at .ch and .li: signals only ever speed up a bootstrap the registry would take anyway.
            boolean authenticated = policy == DsPolicy.CDS && (spec.authenticatedBootstrap() == null || spec.authenticatedBootstrap());
            policies.add(new RegistryPolicy(tld, policy, observations, scan, LAB_DS_TTL, authenticated));
        }
        return List.copyOf(policies);
    }
}
