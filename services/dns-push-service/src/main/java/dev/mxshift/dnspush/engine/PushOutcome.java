package dev.mxshift.dnspush.engine;

import dev.mxshift.connector.ConnectorException;
import dev.mxshift.connector.RrSet;

/** What pushing one change did. */
public sealed interface PushOutcome {

    /** Written; the provider's evidence. */
    record Applied(String evidence) implements PushOutcome {
    }

    /** The target was already in place: success, nothing written (a repeated step after a crash lands here). */
    record AlreadyInPlace(String evidence) implements PushOutcome {
    }

    /** The set is neither the expected-before nor the target: someone edited it. Nothing written; both kept. */
    record Conflict(RrSet expected, RrSet actual, String detail) implements PushOutcome {
    }

    /** Dry run: this would be written. */
    record WouldApply(RrSet from, RrSet to) implements PushOutcome {
    }

    /** The provider failed; {@code kind} says whether trying later can help. */
    record Failed(ConnectorException.Kind kind, String message) implements PushOutcome {
    }
}
