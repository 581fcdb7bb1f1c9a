package dev.mxshift.model.serde;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.workflow.ServiceRole;
import dev.mxshift.model.workflow.Workflow;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a service reads of an event it may not own ({@link EventCodec#readHeader}) agrees with the whole decoding, for
 * every golden file of every version, and refuses what the whole decoding refuses about the envelope.
 */
class EventHeaderTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/events");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EventCodec codec = new EventCodec();

    @TestFactory
    Stream<DynamicTest> theHeaderOfEveryGoldenFileAgreesWithItsWholeDecoding() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(GOLDEN.relativize(file).toString(), () -> {
                        byte[] bytes = Files.readAllBytes(file);
                        EventEnvelope whole = codec.decode(bytes);
                        EventHeader header = codec.readHeader(bytes);
                        assertThat(header.eventId()).isEqualTo(whole.eventId());
                        assertThat(header.domain()).isEqualTo(whole.domain().value());
                        assertThat(header.sequence()).isEqualTo(whole.sequence());
                        assertThat(header.type()).isEqualTo(whole.type());
                        assertThat(codec.decodeCarriedState(bytes, header)).isEqualTo(whole.state());
                        assertThat(codec.decode(bytes, header, codec.decodeCarriedState(bytes, header))).isEqualTo(whole);
                        // the state topic's record: what encodeState writes, read back the same (older versions upcast)
                        assertThat(codec.decodeState(codec.stateTopicValue(bytes, header))).isEqualTo(whole.state());
                        if (header.schemaVersion() == codec.currentVersion()) {
                            // as this build writes the event (the golden file is indented): byte for byte what encodeState writes
                            byte[] written = codec.encode(whole);
                            assertThat(new String(codec.stateTopicValue(written, codec.readHeader(written)), StandardCharsets.UTF_8))
                                    .isEqualTo(new String(codec.encodeState(whole.state()), StandardCharsets.UTF_8));
                            assertThat(header.status()).isEqualTo(whole.state().status());
                            assertThat(header.paused()).isEqualTo(whole.state().paused());
                            assertThat(header.held()).isEqualTo(whole.state().held());
                            ServiceRole owner = Workflow.next(whole.state()).owner();
                            assertThat(header.mayBeOwnedBy(owner)).as("the owner %s of the next action", owner).isTrue();
                        }
                    }));
        }
    }

    @Test
    void aMalformedPayloadStillHasAHeaderButDoesNotDecode() throws IOException {
        byte[] bytes = Files.readAllBytes(GOLDEN.resolve("v" + EventCodec.CURRENT_SCHEMA_VERSION).resolve("Started.json"));
        ObjectNode node = (ObjectNode) JSON.readTree(bytes);
        node.putObject("payload").put("nonsense", 1);
        byte[] malformed = JSON.writeValueAsBytes(node);

        EventHeader header = codec.readHeader(malformed);
        assertThat(header.type()).isEqualTo("Started");
        assertThatThrownBy(() -> codec.decode(malformed)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("Started event does not match its schema");
        assertThatThrownBy(() -> codec.decode(malformed, header, codec.decodeCarriedState(malformed, header)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("Started event does not match its schema");
        assertThatThrownBy(() -> codec.stateTopicValue(malformed, header))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("Started event does not match its schema");
    }

    @Test
    void aMalformedStateNeverBecomesAStateTopicValue() throws IOException {
        byte[] bytes = Files.readAllBytes(GOLDEN.resolve("v" + EventCodec.CURRENT_SCHEMA_VERSION).resolve("Started.json"));
        ObjectNode node = (ObjectNode) JSON.readTree(bytes);
        ((ObjectNode) node.get("state")).put("sequence", "not a number");
        byte[] malformed = JSON.writeValueAsBytes(node);

        EventHeader header = codec.readHeader(malformed);
        assertThatThrownBy(() -> codec.stateTopicValue(malformed, header)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("Started event does not match its schema");
    }

    @Test
    void whatTheWholeDecodingRefusesAboutTheEnvelopeTheHeaderRefusesToo() throws IOException {
        byte[] bytes = Files.readAllBytes(GOLDEN.resolve("v" + EventCodec.CURRENT_SCHEMA_VERSION).resolve("Started.json"));
        assertThatThrownBy(() -> codec.readHeader("not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> codec.readHeader("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(EventDecodingException.class);
        for (String field : new String[]{"eventId", "domain", "sequence", "schemaVersion", "type", "state"}) {
            ObjectNode node = (ObjectNode) JSON.readTree(bytes);
            node.remove(field);
            byte[] without = JSON.writeValueAsBytes(node);
            assertThatThrownBy(() -> codec.readHeader(without)).as("without %s", field).isInstanceOf(EventDecodingException.class);
            assertThatThrownBy(() -> codec.decode(without)).as("without %s", field).isInstanceOf(EventDecodingException.class);
        }
        ObjectNode unknown = (ObjectNode) JSON.readTree(bytes);
        unknown.put("type", "NoSuchEvent");
        assertThatThrownBy(() -> codec.readHeader(JSON.writeValueAsBytes(unknown))).hasMessageContaining("unknown event type 'NoSuchEvent'");
        ObjectNode newer = (ObjectNode) JSON.readTree(bytes);
        newer.put("schemaVersion", codec.currentVersion() + 1);
        assertThatThrownBy(() -> codec.readHeader(JSON.writeValueAsBytes(newer))).hasMessageContaining("is newer than this build understands");
    }
}
