package dev.mxshift.model.dns;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A TLSA record's data (RFC 6698 section 2.1): certificate usage, selector, matching type and the
 * association data as lower-case hex.
 */
public record TlsaRecord(int usage, int selector, int matchingType, String data) {

    public static final int PKIX_TA = 0;
    public static final int PKIX_EE = 1;
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    public TlsaRecord {
        checkOctet("TLSA certificate usage", usage);
        checkOctet("TLSA selector", selector);
        checkOctet("TLSA matching type", matchingType);
        if (data == null || data.isEmpty()) {
            throw new InvalidValueException("TLSA data", data, "is empty");
        }
        data = data.toLowerCase(Locale.ROOT);
        if (data.length() % 2 != 0 || !data.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new InvalidValueException("TLSA data", data, "must be an even number of hex digits");
        }
        int expectedBytes = switch (matchingType) {
            case 1 -> 32;
            case 2 -> 64;
            default -> -1;
        };
        if (expectedBytes > 0 && data.length() != expectedBytes * 2) {
            throw new InvalidValueException("TLSA data", data, "matching type " + matchingType + " needs a "
                    + expectedBytes + "-byte digest, found " + data.length() / 2 + " bytes");
        }
    }

    public static TlsaRecord of(int usage, int selector, int matchingType, byte[] data) {
        return new TlsaRecord(usage, selector, matchingType, HexFormat.of().formatHex(data));
    }

    public byte[] dataBytes() {
        return HexFormat.of().parseHex(data);
    }

    /**
     * RFC 7672 section 3.1.3: for SMTP only DANE-TA(2) and DANE-EE(3) are usable; PKIX-TA(0), PKIX-EE(1)
     * and the private matching type 255 are not. Unknown selectors and matching types are unusable too.
     */
    public boolean isUsableForSmtp() {
        return (usage == DANE_TA || usage == DANE_EE) && (selector == 0 || selector == 1)
                && (matchingType >= 0 && matchingType <= 2);
    }

    /** Presentation form, as in a zone file. */
    public String rdata() {
        return usage + " " + selector + " " + matchingType + " " + data;
    }

    private static void checkOctet(String field, int value) {
        if (value < 0 || value > 255) {
            throw new InvalidValueException(field, String.valueOf(value), "must be between 0 and 255");
        }
    }

    @Override
    public String toString() {
        return rdata();
    }
}
