package dev.mxshift.model.serde;

import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites a stored envelope written at {@link #fromVersion()} into the shape of {@code fromVersion() + 1}.
 * Upcasters are how the wire format changes without breaking replay of the log, which is kept forever:
 * each change of an event's shape bumps {@link EventCodec#CURRENT_SCHEMA_VERSION} and adds one upcaster.
 */
public interface Upcaster {

    int fromVersion();

    /** Gets the whole envelope (type, payload and state) and returns it in the next version's shape. */
    ObjectNode upcast(ObjectNode envelope);
}
