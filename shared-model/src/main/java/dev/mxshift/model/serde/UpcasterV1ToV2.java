package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 1 to 2: MTA-STS entered the model. The discovery snapshot and the carried state gained {@code mtaSts},
 * and external plan steps gained {@code detail} and {@code rollbackDetail}. A version-1 event had none of them,
 * so each is written as null, explicitly, wherever it belongs.
 */
final class UpcasterV1ToV2 extends SchemaStep {

    UpcasterV1ToV2() {
        super(1);
    }

    @Override
    void upcastEvent(String type, ObjectNode envelope) {
        if ("Discovered".equals(type) && envelope.path("payload").path("snapshot") instanceof ObjectNode snapshot) {
            snapshot.putNull("mtaSts");
        }
        addExternalDetails(envelope.path("payload"));
    }

    @Override
    void upcastState(String type, ObjectNode state, JsonNode payload) {
        state.putNull("mtaSts");
        addExternalDetails(state);
    }

    private static void addExternalDetails(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if ("External".equals(object.path("kind").asString()) && !object.has("detail")) {
                object.putNull("detail");
                object.putNull("rollbackDetail");
            }
            object.values().forEach(UpcasterV1ToV2::addExternalDetails);
        } else if (node != null && node.isArray()) {
            node.values().forEach(UpcasterV1ToV2::addExternalDetails);
        }
    }
}
