package dev.mxshift.operator.templates;

import dev.mxshift.model.dns.MxHostKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, in one line of a hoster's provisioning material, what still points new zones at Exchange Online's legacy
 * inbound hosts: a legacy host name ({@code contoso-com.mail.protection.outlook.com}), a legacy-key pattern (the key a
 * template placeholder, {@code {domain}.mail.protection.outlook.com}), the bare legacy suffix, and an address the
 * operator named as one of the legacy hosts'. Pure: no I/O, one line in, findings out.
 *
 * <p>What stays valid after the move is quiet by construction, since only the three legacy suffixes of
 * {@link MxHostKind#LEGACY_SUFFIXES} and the given addresses are matched: {@code include:spf.protection.outlook.com},
 * {@code autodiscover.outlook.com}, Microsoft's verification TXT ({@code MS=ms12345678}), DKIM selector aliases
 * ({@code selector1-<key>._domainkey.<tenant>.onmicrosoft.com}) and the {@code *.mx.microsoft} targets.
 */
public final class LegacyReferenceMatcher {

    /** What kind of reference a finding is. */
    public enum Kind {
        /** A literal legacy host: {@code <key>.mail.protection.outlook.com} with the key written out. */
        LEGACY_HOST,
        /** A legacy host whose key is (or contains) a template placeholder. */
        LEGACY_KEY_PATTERN,
        /** One of the legacy suffixes with no key in front of it. */
        LEGACY_SUFFIX,
        /** An address the operator named as one of the legacy hosts'. */
        LEGACY_ADDRESS
    }

    /** One reference: the column (1-based) where it starts, the text matched, what it is and what to do instead. */
    public record Finding(Kind kind, int column, String text, String what, String fix) {
    }

    /** The suffixes without their leading dot, longest first so that no suffix hides a longer one. */
    private static final Pattern SUFFIX;

    static {
        StringBuilder alternatives = new StringBuilder();
        for (String suffix : MxHostKind.LEGACY_SUFFIXES) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(suffix.substring(1)));
        }
        // Not part of a longer name on either side (xmail.protection..., ...outlook.community, ...outlook.com.example.net);
        // a final dot is fine.
        SUFFIX = Pattern.compile("(?i)(?<![a-z0-9-])(?:" + alternatives + ")(?![a-z0-9-]|\\.[a-z0-9])");
    }

    /**
     * A template placeholder, in the spellings hosters' tools use: {@code {{ domain }}} (Jinja, Go, Mustache),
     * {@code ${DOMAIN}}, {@code $(...)} (PowerShell subexpression), {@code $DOMAIN} / {@code $env:DOMAIN},
     * {@code %DOMAIN%} (cmd), {@code {domain}} (Python format, .NET), {@code <domain>} (documentation style; only
     * directly before a dot, a hyphen or another placeholder, so that an XML tag before a literal key is not one).
     */
    private static final String PLACEHOLDER = "\\{\\{[^{}]{1,80}\\}\\}|\\$\\{[^{}\\s]{1,80}\\}|\\$\\((?:[^()]|\\([^()]*\\)){1,80}\\)"
            + "|\\$[A-Za-z_][\\w:]*|%[A-Za-z_]\\w*%|\\{[A-Za-z_][\\w.]*\\}|<[A-Za-z_][\\w-]*>(?=[-.{$%<])";
    private static final Pattern ANY_PLACEHOLDER = Pattern.compile(PLACEHOLDER);
    /** The key in front of a suffix: placeholders and LDH characters (underscore too: keys are not host-name checked here). */
    private static final Pattern KEY_BEFORE_DOT = Pattern.compile("(?:" + PLACEHOLDER + "|[A-Za-z0-9_-])+\\.\\z");

    /** A dotted quad, with a prefix length or not, anywhere but inside a longer dotted number (1.2.3.4.5); a port may follow. */
    private static final Pattern IPV4_IN_LINE = Pattern.compile("(?<![0-9.])\\d{1,3}(?:\\.\\d{1,3}){3}(?:/\\d{1,2})?(?![0-9]|\\.[0-9])");
    /** A run that may hold an IPv6 address as written in zone files, SPF and scripts (ip6:2a01::/48, [2a01::1]:25). */
    private static final Pattern IPV6_TOKEN = Pattern.compile("(?i)(?:ip6:)?[0-9a-f:.]*:[0-9a-f:.]*(?:/\\d{1,3})?");

    /** Where the replacement comes from: Microsoft assigns it per domain, and mxshift's plan carries it. */
    private static final String TARGET_FROM = "Microsoft's DnssecMxValue for the domain, from Enable-DnssecForVerifiedDomain, or the mxshift plan";

    private final List<LegacyAddresses.Network> addresses;

    public LegacyReferenceMatcher(LegacyAddresses addresses) {
        this.addresses = addresses.networks();
    }

    /** Every legacy reference in the line, in the order they appear. */
    public List<Finding> scan(String line) {
        List<Finding> findings = new ArrayList<>();
        Matcher suffix = SUFFIX.matcher(line);
        while (suffix.find()) {
            findings.add(hostFinding(line, suffix.start(), suffix.group().toLowerCase(Locale.ROOT)));
        }
        if (!addresses.isEmpty()) {
            addressFindings(line, findings);
            findings.sort(java.util.Comparator.comparingInt(Finding::column));
        }
        return findings;
    }

    private static Finding hostFinding(String line, int suffixStart, String suffix) {
        Matcher key = suffixStart > 0 && line.charAt(suffixStart - 1) == '.'
                ? KEY_BEFORE_DOT.matcher(line.substring(Math.max(0, suffixStart - 200), suffixStart)) : null;
        if (key == null || !key.find()) {
            return new Finding(Kind.LEGACY_SUFFIX, suffixStart + 1, suffix,
                    "legacy Exchange Online suffix " + suffix,
                    "each domain gets its own <key>.<x>-v1.mx.microsoft host (" + TARGET_FROM + "); do not derive MX hosts from " + suffix);
        }
        String keyText = key.group().substring(0, key.group().length() - 1);
        int start = suffixStart - key.group().length();
        String host = keyText + "." + suffix;
        if (ANY_PLACEHOLDER.matcher(key.group()).find()) { // with its dot: <domain> counts only before one
            return new Finding(Kind.LEGACY_KEY_PATTERN, start + 1, host,
                    "legacy-key pattern " + host + " (placeholder key " + keyText + ")",
                    "fill the host from a per-domain value holding the domain's <key>.<x>-v1.mx.microsoft host (" + TARGET_FROM
                            + "); <x> is assigned per domain, so it cannot be derived from the key");
        }
        return new Finding(Kind.LEGACY_HOST, start + 1, host,
                "legacy Exchange Online host " + host.toLowerCase(Locale.ROOT),
                "use the domain's " + keyText.toLowerCase(Locale.ROOT) + ".<x>-v1.mx.microsoft host (" + TARGET_FROM + ")");
    }

    private void addressFindings(String line, List<Finding> findings) {
        Matcher v4 = IPV4_IN_LINE.matcher(line);
        while (v4.find()) {
            addressFinding(v4.group(), v4.start(), findings);
        }
        Matcher token = IPV6_TOKEN.matcher(line);
        while (token.find()) {
            String text = token.group();
            int offset = text.regionMatches(true, 0, "ip6:", 0, 4) ? 4 : 0;
            String candidate = text.substring(offset);
            while (candidate.endsWith(".") || candidate.endsWith(":") && !candidate.endsWith("::")) {
                candidate = candidate.substring(0, candidate.length() - 1);
            }
            if (candidate.indexOf(':') != candidate.lastIndexOf(':')) {
                addressFinding(candidate, token.start() + offset, findings);
            }
        }
    }

    private void addressFinding(String written, int start, List<Finding> findings) {
        LegacyAddresses.Network network = LegacyAddresses.Network.parseOrNull(written);
        if (network == null) {
            return;
        }
        for (LegacyAddresses.Network legacy : addresses) {
            if (legacy.overlaps(network)) {
                findings.add(new Finding(Kind.LEGACY_ADDRESS, start + 1, written,
                        "hard-coded address " + written + " of the legacy hosts (--legacy-address " + legacy + ")",
                        "name a host, not an address: the domain's <key>.<x>-v1.mx.microsoft host for mail (" + TARGET_FROM
                                + "), include:spf.protection.outlook.com in SPF; legacy addresses stop answering when Microsoft retires them"));
                return;
            }
        }
    }
}
