package dev.mxshift.model.serde;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 4 to 5: the DNSSEC stage. {@code StepApplied} and {@code StepVerified} gained {@code keys} (what a DNSSEC step
 * did or saw; no version-4 step was one, so null), {@code PreflightPassed} gained {@code signing} (no version-4 preflight
 * decided to sign: null), {@code RollbackRequested} gained {@code unsign} (false: a version-4 rollback never unsigned),
 * and the carried state gained {@code signing} and {@code dnssec} (null: no version-4 domain was in the stage).
 */
final class UpcasterV4ToV5 extends SchemaStep {

    UpcasterV4ToV5() {
        super(4);
    }

    @Override
    void upcastEvent(String type, ObjectNode envelope) {
        if (envelope.path("payload") instanceof ObjectNode payload) {
            switch (type) {
                case "StepApplied", "StepVerified" -> payload.putNull("keys");
                case "PreflightPassed" -> payload.putNull("signing");
                case "RollbackRequested" -> payload.put("unsign", false);
                default -> {
                }
            }
        }
    }

    @Override
    void upcastState(String type, ObjectNode state, JsonNode payload) {
        state.putNull("signing");
        state.putNull("dnssec");
    }
}
