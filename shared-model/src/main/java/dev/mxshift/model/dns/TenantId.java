package dev.mxshift.model.dns;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/**
 * The hoster's own identifier for a customer: a customer number, a short name or a Microsoft tenant GUID.
 * Case is kept; it is an opaque key, compared exactly.
 */
public record TenantId(String value) implements Comparable<TenantId> {

    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]*");

    public TenantId {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("tenant id", value, "is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException("tenant id", value, "is " + value.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        if (!ALLOWED.matcher(value).matches()) {
            throw new InvalidValueException("tenant id", value,
                    "may contain only letters, digits and . _ : @ - and must start with a letter or digit");
        }
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
