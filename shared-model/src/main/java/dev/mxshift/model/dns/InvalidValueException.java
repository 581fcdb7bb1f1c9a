package dev.mxshift.model.dns;

/**
 * A value that a person or a file supplied is not acceptable. Carries the field and the reason separately so
 * that an importer can report "file, line, field, reason" without parsing the message.
 */
public class InvalidValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN_INPUT = 80;

    private final String field;
    private final String reason;

    public InvalidValueException(String field, String input, String reason) {
        super(field + " " + show(input) + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    private static String show(String input) {
        if (input == null) {
            return "(missing)";
        }
        String shown = input.length() > MAX_SHOWN_INPUT ? input.substring(0, MAX_SHOWN_INPUT) + "…" : input;
        return "'" + shown + "'";
    }
}
