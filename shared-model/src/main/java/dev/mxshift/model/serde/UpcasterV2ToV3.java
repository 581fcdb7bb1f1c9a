package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 2 to 3: starting by wave, importing on hold, and durable re-verification. {@code MigrationRequested} gained
 * {@code hold} (false: every version-2 request started at once); the carried state gained {@code wave}, {@code held}
 * and {@code verifyAttempts} (0: a version-2 service verified within one handling, never across events). A version-2 state did
 * not carry the wave: it is taken from the request's payload where the event is the request itself, and left null
 * otherwise (the fold from the first event knows it; the carried state of older events does not).
 */
final class UpcasterV2ToV3 extends SchemaStep {

    UpcasterV2ToV3() {
        super(2);
    }

    @Override
    void upcastEvent(String type, ObjectNode envelope) {
        if ("MigrationRequested".equals(type) && envelope.path("payload") instanceof ObjectNode payload) {
            payload.put("hold", false);
        }
    }

    @Override
    void upcastState(String type, ObjectNode state, JsonNode payload) {
        if ("MigrationRequested".equals(type) && payload.path("wave").isString()) {
            state.put("wave", payload.path("wave").asString());
        } else {
            state.putNull("wave");
        }
        state.put("held", false);
        state.put("verifyAttempts", 0);
    }
}
