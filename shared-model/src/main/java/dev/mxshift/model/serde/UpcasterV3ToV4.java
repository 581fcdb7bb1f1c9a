package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 3 to 4: the audit trail and the unsigned-zone policy. The envelope gained {@code actor} (who asked: a token's
 * name or the command line's user, and the channel). A version-3 event recorded no actor as such, only the free text
 * some payloads carry ({@code by}, {@code requestedBy}), so it comes up with none. {@code MigrationRequested} gained
 * {@code unsignedZone} (null: the validation service's configuration decides, as it did for every version-3 request);
 * the carried state gained {@code unsignedZone} (null) and {@code warnings}: a version-3 state did not keep the
 * preflight's warnings, so they are taken from the payload where the event is the preflight's pass itself and left
 * empty otherwise (the fold from the first event knows them; the carried state of older events does not).
 */
final class UpcasterV3ToV4 extends SchemaStep {

    UpcasterV3ToV4() {
        super(3);
    }

    @Override
    void upcastEvent(String type, ObjectNode envelope) {
        envelope.putNull("actor");
        if ("MigrationRequested".equals(type) && envelope.path("payload") instanceof ObjectNode payload) {
            payload.putNull("unsignedZone");
        }
    }

    @Override
    void upcastState(String type, ObjectNode state, JsonNode payload) {
        state.putNull("unsignedZone");
        if ("PreflightPassed".equals(type) && payload.path("warnings").isArray()) {
            state.set("warnings", payload.path("warnings").deepCopy());
        } else {
            state.putArray("warnings");
        }
    }
}
