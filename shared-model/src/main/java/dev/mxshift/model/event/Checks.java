package dev.mxshift.model.event;

import dev.mxshift.model.dns.InvalidValueException;

import java.util.List;

/** Shared argument checks for event payloads; a malformed event is a bug or a corrupt log, never user input. */
final class Checks {

    private Checks() {
    }

    static <T> T required(T value, String event, String field) {
        if (value == null) {
            throw new InvalidValueException(event + "." + field, null, "is required");
        }
        return value;
    }

    static String text(String value, String event, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException(event + "." + field, value, "must not be blank");
        }
        return value;
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /** The step an event is about: its direction is required and its index must not be negative. */
    static void step(Direction direction, int step, String event) {
        required(direction, event, "direction");
        stepIndex(step, event);
    }

    private static int stepIndex(int step, String event) {
        if (step < 0) {
            throw new InvalidValueException(event + ".step", String.valueOf(step), "must not be negative");
        }
        return step;
    }
}
