package dev.mxshift.model.dns;

import java.util.Comparator;

/** One MX resource record's data: preference and exchange host (RFC 1035 section 3.3.9). */
public record MxRecord(int preference, DomainName exchange) implements Comparable<MxRecord> {

    private static final Comparator<MxRecord> ORDER =
            Comparator.comparingInt(MxRecord::preference).thenComparing(MxRecord::exchange);

    public MxRecord {
        if (preference < 0 || preference > 65535) {
            throw new InvalidValueException("MX preference", String.valueOf(preference), "must be between 0 and 65535 (a 16-bit value)");
        }
        if (exchange == null) {
            throw new InvalidValueException("MX exchange", null, "is required");
        }
    }

    public static MxRecord of(int preference, String exchange) {
        return new MxRecord(preference, DomainName.of(exchange));
    }

    public MxHostKind kind() {
        return MxHostKind.of(exchange);
    }

    /** Presentation format as in a zone file, with the absolute name's final dot. */
    public String rdata() {
        return preference + " " + exchange.value() + ".";
    }

    @Override
    public int compareTo(MxRecord other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return rdata();
    }
}
