package dev.mxshift.model.event;

/** A reason a check gave: a stable code for scripts, a sentence for people, and what to do about it. */
public record Finding(String code, String message, String action) {
    public Finding {
        Checks.text(code, "Finding", "code");
        Checks.text(message, "Finding", "message");
        action = action == null ? "" : action;
    }
}
