package dev.mxshift.model.serde;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.EventSamples;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final EventCodec codec = new EventCodec();

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode encodedSample(String type) {
        return (ObjectNode) JSON.readTree(codec.encode(EventSamples.byType().get(type)));
    }

    @Test
    void everyEventOfAWholeMigrationSurvivesARoundTrip() {
        for (EventEnvelope event : CooperativeWorld.migrated(Fixtures.DOMAIN).events()) {
            assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void theStateTopicsValueSurvivesARoundTrip() {
        MigrationState state = CooperativeWorld.migrated(Fixtures.DOMAIN).state();
        assertThat(codec.decodeState(codec.encodeState(state))).isEqualTo(state);
    }

    @Test
    void anOlderEnvelopeIsUpcastStepByStepBeforeItIsBound() {
        // Pretend that version 1 called MigrationFailed's reason "message", and version 2 renamed it.
        ObjectNode v1 = encodedSample("MigrationFailed");
        ObjectNode payload = (ObjectNode) v1.get("payload");
        payload.set("message", payload.remove("reason"));
        Upcaster renameMessageToReason = new Upcaster() {
            public int fromVersion() {
                return 1;
            }

            public ObjectNode upcast(ObjectNode envelope) {
                if (envelope.path("type").asString().equals("MigrationFailed")) {
                    ObjectNode p = (ObjectNode) envelope.get("payload");
                    p.set("reason", p.remove("message"));
                }
                return envelope;
            }
        };
        EventCodec v2 = new EventCodec(List.of(renameMessageToReason), 2);

        EventEnvelope decoded = v2.decode(JSON.writeValueAsBytes(v1));

        EventEnvelope sample = EventSamples.byType().get("MigrationFailed");
        assertThat(decoded.schemaVersion()).isEqualTo(2);
        assertThat(decoded.payload()).isEqualTo(sample.payload());
        assertThat(decoded.state()).isEqualTo(sample.state());
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(v1)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("MigrationFailed.reason");
    }

    @Test
    void aCodecWithAGapInItsUpcasterChainCannotBeBuilt() {
        assertThatThrownBy(() -> new EventCodec(List.of(), 2)).hasMessageContaining("no upcaster from version 1 to 2");
    }

    @Test
    void badRecordsGiveADecodingErrorThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> codec.decode(bytes("not json"))).isInstanceOf(EventDecodingException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> codec.decode(bytes("[1]"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> codec.decode(bytes("{\"type\":\"Paused\"}"))).hasMessageContaining("schemaVersion");

        ObjectNode future = encodedSample("Paused");
        future.put("schemaVersion", 9);
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(future))).hasMessageContaining("newer than this build");

        ObjectNode unknown = encodedSample("Paused");
        unknown.put("type", "Teleported");
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(unknown))).hasMessageContaining("unknown event type 'Teleported'");

        ObjectNode noId = encodedSample("Paused");
        noId.remove("eventId");
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(noId))).hasMessageContaining("no 'eventId'");

        ObjectNode extra = encodedSample("Paused");
        ((ObjectNode) extra.get("payload")).put("colour", "blue");
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(extra))).hasMessageContaining("Paused event does not match its schema");

        ObjectNode badDomain = encodedSample("Paused");
        badDomain.put("domain", "*.example.com");
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(badDomain))).hasMessageContaining("wildcard");

        ObjectNode blankReason = encodedSample("MigrationFailed");
        ((ObjectNode) blankReason.get("payload")).put("reason", " ");
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(blankReason)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("MigrationFailed.reason");
    }
}
