package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The common part of every upcaster: one schema step from {@link #fromVersion()}, which reads the envelope's event type
 * once and rewrites the envelope (and its payload), then the carried state where the envelope has one.
 */
abstract class SchemaStep implements Upcaster {

    private final int fromVersion;

    SchemaStep(int fromVersion) {
        this.fromVersion = fromVersion;
    }

    @Override
    public final int fromVersion() {
        return fromVersion;
    }

    @Override
    public final ObjectNode upcast(ObjectNode envelope) {
        String type = envelope.path("type").asString();
        upcastEvent(type, envelope);
        if (envelope.path("state") instanceof ObjectNode state) {
            upcastState(type, state, envelope.path("payload"));
        }
        return envelope;
    }

    /** Rewrites the envelope itself and its payload, of an event of {@code type}; by default neither changes. */
    void upcastEvent(String type, ObjectNode envelope) {
    }

    /** Rewrites the state carried by an event of {@code type}, whose payload is given as it stands after {@link #upcastEvent}. */
    abstract void upcastState(String type, ObjectNode state, JsonNode payload);
}
