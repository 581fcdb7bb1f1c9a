package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 5 to 6: the zone sweep's findings on the event log (decision 0028, addendum). A new event type,
 * {@code LegacyReferencesFound}, which no version-5 log holds; the carried state gained {@code legacyReferences}
 * (empty: no version-5 domain had a sweep recorded).
 */
final class UpcasterV5ToV6 extends SchemaStep {

    UpcasterV5ToV6() {
        super(5);
    }

    @Override
    void upcastState(String type, ObjectNode state, JsonNode payload) {
        state.putArray("legacyReferences");
    }
}
