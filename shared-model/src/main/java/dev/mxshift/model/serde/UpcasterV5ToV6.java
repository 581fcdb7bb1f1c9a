package dev.mxshift.model.serde;

import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 5 to 6: the zone sweep's findings on the event log (decision 0028, addendum). A new event type,
 * {@code LegacyReferencesFound}, which no version-5 log holds; the carried state gained {@code legacyReferences}
 * (empty: no version-5 domain had a sweep recorded).
 */
final class UpcasterV5ToV6 implements Upcaster {

    @Override
    public int fromVersion() {
        return 5;
    }

    @Override
    public ObjectNode upcast(ObjectNode envelope) {
        if (envelope.path("state") instanceof ObjectNode state) {
            state.putArray("legacyReferences");
        }
        return envelope;
    }
}
