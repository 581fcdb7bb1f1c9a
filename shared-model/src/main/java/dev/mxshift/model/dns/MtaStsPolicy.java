package dev.mxshift.model.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy (RFC 8461 section 3.2): mode, the MX host patterns it allows, and max_age. Parsed strictly,
 * so that what mxshift reasons about is what senders enforce; the id lives in the {@code _mta-sts} TXT record
 * (section 3.1), not here.
 */
public record MtaStsPolicy(Mode mode, List<String> mx, long maxAge) {

    /** RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    public enum Mode { ENFORCE, TESTING, NONE }

    public MtaStsPolicy {
        if (mode == null) {
            throw new InvalidValueException("MTA-STS mode", null, "is required (enforce, testing or none)");
        }
        if (maxAge < 0 || maxAge > MAX_AGE_LIMIT) {
            throw new InvalidValueException("MTA-STS max_age", String.valueOf(maxAge), "must be between 0 and " + MAX_AGE_LIMIT + " (RFC 8461 section 3.2)");
        }
        mx = List.copyOf(mx == null ? List.of() : mx);
        for (String pattern : mx) {
            checkPattern(pattern);
        }
        if (mode != Mode.NONE && mx.isEmpty()) {
            throw new InvalidValueException("MTA-STS mx", "", "a policy in mode " + mode.name().toLowerCase(Locale.ROOT)
                    + " needs at least one mx line (RFC 8461 section 3.2)");
        }
    }

    /**
     * Parses a policy body. Lines end in CRLF (LF alone is accepted, as senders do); {@code version: STSv1} must
     * come first; mode and max_age exactly once; unknown keys are ignored (RFC 8461 section 3.2 allows extensions).
     */
    public static MtaStsPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException("MTA-STS policy", text, "is empty");
        }
        String[] lines = text.split("\r?\n", -1);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String first = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new InvalidValueException("MTA-STS policy line " + (i + 1), line, "is not 'key: value'");
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (!KEY.matcher(key).matches()) {
                throw new InvalidValueException("MTA-STS policy line " + (i + 1), line, "has an invalid key");
            }
            if (first == null) {
                first = key;
            }
            fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        if (!"version".equals(first) || !List.of("STSv1").equals(fields.get("version"))) {
            throw new InvalidValueException("MTA-STS policy", text.lines().findFirst().orElse(""), "must start with 'version: STSv1'");
        }
        String mode = single(fields, "mode");
        Mode parsed = switch (mode) {
            case "enforce" -> Mode.ENFORCE;
            case "testing" -> Mode.TESTING;
            case "none" -> Mode.NONE;
            default -> throw new InvalidValueException("MTA-STS mode", mode, "must be enforce, testing or none");
        };
        String maxAge = single(fields, "max_age");
        if (!maxAge.matches("[0-9]{1,10}")) {
            throw new InvalidValueException("MTA-STS max_age", maxAge, "must be a number of seconds");
        }
        return new MtaStsPolicy(parsed, fields.getOrDefault("mx", List.of()), Long.parseLong(maxAge));
    }

    /**
     * Whether senders enforcing this policy will deliver to {@code host}: an exact pattern, or {@code *.suffix}
     * matching exactly one more label (RFC 8461 section 4.1), so {@code *.mx.microsoft} does not cover
     * {@code contoso-com.o-v1.mx.microsoft}.
     */
    public boolean covers(DomainName host) {
        return mx.stream().anyMatch(host::matchesPattern);
    }

    /** This policy with {@code host} listed exactly, so old and new hosts are both allowed during the move. */
    public MtaStsPolicy allowing(DomainName host) {
        if (covers(host)) {
            return this;
        }
        List<String> more = new ArrayList<>(mx);
        more.add(host.value());
        return new MtaStsPolicy(mode, more, maxAge);
    }

    /** The policy body as served at https://mta-sts.DOMAIN/.well-known/mta-sts.txt, CRLF line endings. */
    public String text() {
        StringBuilder out = new StringBuilder("version: STSv1\r\nmode: ").append(mode.name().toLowerCase(Locale.ROOT)).append("\r\n");
        mx.forEach(m -> out.append("mx: ").append(m).append("\r\n"));
        return out.append("max_age: ").append(maxAge).append("\r\n").toString();
    }

    private static String single(Map<String, List<String>> fields, String key) {
        List<String> values = fields.get(key);
        if (values == null || values.size() != 1) {
            throw new InvalidValueException("MTA-STS " + key, values == null ? null : String.join(", ", values),
                    values == null ? "is missing" : "appears " + values.size() + " times; it must appear once");
        }
        return values.get(0);
    }

    private static void checkPattern(String pattern) {
        String host = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (host.contains("*")) {
            throw new InvalidValueException("MTA-STS mx", pattern, "a wildcard may only be the whole leftmost label (RFC 8461 section 3.2)");
        }
        DomainName.of(host);
    }
}
