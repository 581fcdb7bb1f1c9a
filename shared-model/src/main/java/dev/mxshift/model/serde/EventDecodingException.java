package dev.mxshift.model.serde;

/**
 * Bytes that are not a valid event of any known schema version. Consumers dead-letter such a record with
 * {@link #getMessage()} as the reason; they never stop the partition for it.
 */
public class EventDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
