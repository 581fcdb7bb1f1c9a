package dev.mxshift.connector;

import java.util.Map;
import java.util.function.Function;

/**
 * One configured connector instance: its id, its type's settings (plain values), and a way to resolve secrets that
 * the settings only name (e.g. {@code api-key: env:PDNS_API_KEY}). A connector resolves a secret where it uses it
 * and never keeps it in a field that is printed, logged or put in an exception.
 */
public record ConnectorConfig(String id, String type, Map<String, String> settings, Function<String, String> secrets) {

    public ConnectorConfig {
        settings = Map.copyOf(settings);
    }

    public String required(String key) throws ConnectorException {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new ConnectorException(ConnectorException.Kind.PERMANENT, "connector " + id + " (" + type + ") needs the setting '" + key + "'");
        }
        return value;
    }

    public String optional(String key, String fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The secret the setting {@code key} references; the reference is in the settings, the value never is. */
    public String secret(String key) throws ConnectorException {
        return secrets.apply(required(key));
    }
}
