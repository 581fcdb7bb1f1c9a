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
    private final boolean outcomeUnknown;

    public ConnectorException(Kind kind, String message) {
        this(kind, message, null, false);
    }

    public ConnectorException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, false);
    }

    /**
     * @param outcomeUnknown the request may have reached the provider and taken effect, but no answer said so (a
     *                       timeout, a dropped connection, a gateway's 5xx): before a write is sent again, what is
     *                       there is read, so a write that landed is neither repeated nor taken for someone's edit
     */
    public ConnectorException(Kind kind, String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.kind = kind;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** A retryable failure after which the request may or may not have taken effect. */
    public static ConnectorException outcomeUnknown(String message, Throwable cause) {
        return new ConnectorException(Kind.RETRYABLE, message, cause, true);
    }

    public Kind kind() {
        return kind;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
