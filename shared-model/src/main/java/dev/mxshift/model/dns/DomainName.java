package dev.mxshift.model.dns;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.ibm.icu.text.IDNA;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A host or domain name in canonical form: lower-case ASCII labels, no trailing dot. This is the key of every domain's
 * event stream, so two spellings of one name must give one value.
 *
 * <p>Two ways in, for two kinds of source (decision 0005 and its addendum of 2026-12-06): {@link #of} for what a person
 * writes (an inventory, a command's argument), checked as IDNA 2008 (UTS #46) and turned into A-labels; and
 * {@link #fromDns} for a name read from a DNS answer (an MX or CNAME target), checked only as DNS holds host names:
 * letters, digits, hyphens and underscores in labels of 1 to 63 octets, 253 in all. DNS does not enforce IDNA, and a
 * legacy MX host with a label IDNA 2008 refuses ({@code ab--cd}, {@code -x}) must still be recognised as what it is.
 * The record's constructor accepts either result.
 */
public record DomainName(String value) implements Comparable<DomainName> {

    /** RFC 1035 section 2.3.4: 255 octets on the wire, which is 253 characters in text without the final dot. */
    public static final int MAX_LENGTH = 253;
    /** RFC 1035 section 2.3.4. */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final String FIELD = "domain name";

    private static final IDNA UTS46 = IDNA.getUTS46Instance(
            IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE
                    | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO | IDNA.USE_STD3_RULES);

    /** Length errors are reported by our own checks, which can name the label and the numbers. */
    private static final Set<IDNA.Error> REPORTED_ELSEWHERE =
            EnumSet.of(IDNA.Error.DOMAIN_NAME_TOO_LONG, IDNA.Error.LABEL_TOO_LONG, IDNA.Error.EMPTY_LABEL);

    /**
     * Values this JVM has already found canonical. Every decoded event builds several names (its domain, the hosts in
     * its state), and the IDNA check was a fifth of decoding; the check of a given string always gives the same
     * answer, so an answer once given is kept. At most {@link #KNOWN_MAX} are kept; then they are forgotten at once.
     */
    private static final java.util.Map<String, Boolean> KNOWN_CANONICAL = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int KNOWN_MAX = 50_000;

    public DomainName {
        if (value == null || !KNOWN_CANONICAL.containsKey(value) && dnsHostNameProblem(value) != null) {
            throw new InvalidValueException(FIELD, value,
                    "not in canonical form (lower-case ASCII labels, no trailing dot); use DomainName.of() or DomainName.fromDns()");
        }
    }

    /** Parses any spelling a person might write: upper case, a trailing dot, Unicode labels; checked as IDNA 2008. */
    public static DomainName of(String input) {
        if (input != null && KNOWN_CANONICAL.containsKey(input)) {
            return new DomainName(input);
        }
        String canonical = canonicalize(input);
        if (KNOWN_CANONICAL.size() >= KNOWN_MAX) {
            KNOWN_CANONICAL.clear();
        }
        KNOWN_CANONICAL.put(canonical, Boolean.TRUE);
        return new DomainName(canonical);
    }

    /**
     * A host name as a DNS answer holds it (an MX exchange, a CNAME target; dnsjava's presentation form, where an
     * octet outside printable ASCII reads {@code \DDD}): case folded, a final dot dropped, and checked as a DNS host
     * name, not as IDNA 2008 (RFC 1035 section 2.3.1 for letters, digits and hyphens; RFC 2181 section 11 for what DNS
     * itself allows; underscores are taken, since service labels occur in targets). A name that is not one is refused
     * with the label and octet at fault.
     */
    public static DomainName fromDns(String input) {
        if (input == null || input.isEmpty() || input.equals(".")) {
            throw new InvalidValueException(FIELD, input, "is empty or the DNS root, not a host name");
        }
        String name = (input.endsWith(".") ? input.substring(0, input.length() - 1) : input).toLowerCase(Locale.ROOT);
        String problem = dnsHostNameProblem(name);
        if (problem != null) {
            throw new InvalidValueException(FIELD, input, problem);
        }
        return new DomainName(name);
    }

    /**
     * Reads a name from the event log or a request body: a name already in canonical form is taken as it is (it was
     * checked when it entered, by {@link #of} or {@link #fromDns}); any other spelling goes through {@link #of}.
     */
    @JsonCreator
    public static DomainName decode(String input) {
        return input != null && (KNOWN_CANONICAL.containsKey(input) || dnsHostNameProblem(input) == null) ? new DomainName(input) : of(input);
    }

    /**
     * Whether a certificate name or an MTA-STS mx pattern covers this host: equal (ignoring case and a final dot),
     * or {@code *.suffix} with exactly one label in place of the star. RFC 6125 section 6.4.3 and RFC 8461
     * section 4.1 share this rule; RFC 7672 section 3.2.3 applies the former to SMTP.
     */
    public boolean matchesPattern(String pattern) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            return value.endsWith(suffix) && value.indexOf('.') == value.length() - suffix.length() && value.length() > suffix.length();
        }
        return value.equals(p);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /** The name in Unicode, for people; the canonical value stays the A-label form. */
    public String unicode() {
        StringBuilder out = new StringBuilder();
        UTS46.nameToUnicode(value, out, new IDNA.Info());
        return out.toString();
    }

    public boolean isSubdomainOf(DomainName parent) {
        return value.equals(parent.value) || value.endsWith("." + parent.value);
    }

    public boolean endsWith(String suffix) {
        return value.endsWith(suffix);
    }

    @Override
    public int compareTo(DomainName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * Why a lower-case name without a final dot is not a DNS host name, or null when it is one: labels of 1 to 63 of
     * {@code a-z 0-9 - _}, 253 characters in all (RFC 1035 section 2.3.4), not ending in an all-numeric label (that
     * reads as an address; RFC 3696 section 2).
     */
    private static String dnsHostNameProblem(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return name.isEmpty() ? "is empty" : "is " + name.length() + " characters long; the limit is " + MAX_LENGTH + " (RFC 1035 section 2.3.4)";
        }
        int labelStart = 0;
        boolean numericLabel = true;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                String label = name.substring(labelStart, i);
                if (label.isEmpty()) {
                    return "label " + (name.substring(0, labelStart).chars().filter(d -> d == '.').count() + 1) + " is empty (two dots in a row, or a leading dot)";
                }
                if (label.length() > MAX_LABEL_LENGTH) {
                    return "label '" + abbreviate(label) + "' is " + label.length() + " characters long; the limit is " + MAX_LABEL_LENGTH
                            + " (RFC 1035 section 2.3.4)";
                }
                if (i == name.length() && numericLabel) {
                    return "ends in an all-numeric label, so it reads as an IP address, not a host name (RFC 3696 section 2)";
                }
                labelStart = i + 1;
                numericLabel = true;
            } else if (c >= 'a' && c <= 'z' || c == '-' || c == '_') {
                numericLabel = false;
            } else if (!(c >= '0' && c <= '9')) {
                int end = name.indexOf('.', i) < 0 ? name.length() : name.indexOf('.', i);
                String label = name.substring(labelStart, end);
                return "label '" + abbreviate(label) + "' holds " + (c == '\\' ? "an escaped octet (" + name.substring(i, Math.min(name.length(), i + 4)) + ")"
                        : "'" + c + "'") + ", which a host name may not: only letters, digits, '-' and '_'";
            }
        }
        return null;
    }

    private static String canonicalize(String input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidValueException(FIELD, input, "is empty");
        }
        for (int i = 0; i < input.length(); i++) {
            if (Character.isWhitespace(input.charAt(i)) || Character.isISOControl(input.charAt(i))) {
                throw new InvalidValueException(FIELD, input, "contains whitespace or a control character at position " + (i + 1));
            }
        }
        String name = input.endsWith(".") ? input.substring(0, input.length() - 1) : input;
        if (name.isEmpty()) {
            throw new InvalidValueException(FIELD, input, "is the DNS root, not a domain");
        }
        String[] rawLabels = name.split("\\.", -1);
        for (int i = 0; i < rawLabels.length; i++) {
            if (rawLabels[i].contains("*")) {
                throw new InvalidValueException(FIELD, input,
                        "is a wildcard; name each domain explicitly (wildcards are not domains that receive mail)");
            }
            if (rawLabels[i].contains("_")) {
                throw new InvalidValueException(FIELD, input,
                        "label '" + rawLabels[i] + "' contains '_', which host names may not (RFC 952, RFC 1123 section 2.1)");
            }
            if (rawLabels[i].isEmpty()) {
                throw new InvalidValueException(FIELD, input, "label " + (i + 1) + " is empty (two dots in a row, or a leading dot)");
            }
        }

        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(name, ascii, info);
        Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
        errors.addAll(info.getErrors());
        errors.removeAll(REPORTED_ELSEWHERE);
        if (!errors.isEmpty()) {
            throw new InvalidValueException(FIELD, input, "is not a valid internationalised domain name (IDNA 2008 / UTS #46: "
                    + errors.stream().map(DomainName::describe).sorted().collect(Collectors.joining("; ")) + ")");
        }
        String canonical = ascii.toString().toLowerCase(Locale.ROOT);

        if (canonical.length() > MAX_LENGTH) {
            throw new InvalidValueException(FIELD, input, "is " + canonical.length()
                    + " characters long in A-label form; the limit is " + MAX_LENGTH + " (RFC 1035 section 2.3.4)");
        }
        String[] labels = canonical.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw new InvalidValueException(FIELD, input, "has an empty label after IDNA mapping");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new InvalidValueException(FIELD, input, "label '" + abbreviate(label) + "' is " + label.length()
                        + " characters long; the limit is " + MAX_LABEL_LENGTH + " (RFC 1035 section 2.3.4)");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidValueException(FIELD, input,
                    "ends in an all-numeric label, so it reads as an IP address, not a domain (RFC 3696 section 2)");
        }
        return canonical;
    }

    private static String abbreviate(String label) {
        return label.length() <= 20 ? label : label.substring(0, 20) + "…";
    }

    private static String describe(IDNA.Error error) {
        return switch (error) {
            case LEADING_HYPHEN -> "a label starts with '-'";
            case TRAILING_HYPHEN -> "a label ends with '-'";
            case HYPHEN_3_4 -> "a label has '--' in positions 3 and 4 but is not an 'xn--' A-label";
            case DISALLOWED -> "contains a character not allowed in host names";
            case PUNYCODE -> "an 'xn--' label is not valid Punycode";
            case INVALID_ACE_LABEL -> "an 'xn--' label does not decode to a valid U-label";
            case LEADING_COMBINING_MARK -> "a label starts with a combining mark";
            case BIDI -> "breaks the bidirectional-text rule (RFC 5893)";
            case CONTEXTJ, CONTEXTO_DIGITS, CONTEXTO_PUNCTUATION -> "uses a joiner or punctuation outside its allowed context (RFC 5892)";
            case LABEL_HAS_DOT -> "a label contains a dot";
            default -> error.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
