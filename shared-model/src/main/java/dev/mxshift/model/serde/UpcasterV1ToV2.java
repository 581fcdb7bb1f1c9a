package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 1 to 2: MTA-STS entered the model. The discovery snapshot and the carried state gained {@code mtaSts},
 * and external plan steps gained {@code detail} and {@code rollbackDetail}. A version-1 event had none of them,
 * so each is written as null, explicitly, wherever it belongs.
 */
final class UpcasterV1ToV2 implements Upcaster {

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public ObjectNode upcast(ObjectNode envelope) {
        if ("Discovered".equals(envelope.path("type").asString()) && envelope.path("payload").path("snapshot") instanceof ObjectNode snapshot) {
            snapshot.putNull("mtaSts");
        }
        if (envelope.path("state") instanceof ObjectNode state) {
            state.putNull("mtaSts");
        }
        addExternalDetails(envelope.path("payload"));
        addExternalDetails(envelope.path("state"));
        return envelope;
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
