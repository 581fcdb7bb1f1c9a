package dev.mxshift.connector;

/**
 * A connector call that did not succeed, typed by what the caller should do. Messages must never contain a
 * secret (an API key, a TSIG secret, a token): name it instead.
 */
public final class ConnectorException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Try again later: a timeout, a 5xx, throttling (429), a server that is not ready. */
        RETRYABLE,
        /** The record set is not the expected one: someone edited it. Never retried, never overwritten. */
        CONFLICT,
        /** The credentials were refused (401, 403, a TSIG failure). */
        AUTHENTICATION,
        /** The request can never succeed as made: an unknown zone, a record the provider rejects. */
        PERMANENT,
        /** The connector does not do this (see its capabilities). */
        UNSUPPORTED
    }

    private final Kind kind;

    public ConnectorException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ConnectorException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
