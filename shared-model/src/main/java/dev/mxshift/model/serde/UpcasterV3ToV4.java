package dev.mxshift.model.serde;

import tools.jackson.databind.node.ObjectNode;

/**
 * Schema 3 to 4: the audit trail. The envelope gained {@code actor} (who asked: a token's name or the command line's
 * user, and the channel). A version-3 event recorded no actor as such, only the free text some payloads carry
 * ({@code by}, {@code requestedBy}), so it comes up with none.
 */
final class UpcasterV3ToV4 implements Upcaster {

    @Override
    public int fromVersion() {
        return 3;
    }

    @Override
    public ObjectNode upcast(ObjectNode envelope) {
        envelope.putNull("actor");
        return envelope;
    }
}
