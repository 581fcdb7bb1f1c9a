package dev.mxshift.model.serde;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.EventType;
import dev.mxshift.model.testing.EventSamples;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire format changes only on purpose: each event type has a golden JSON file per schema version.
 * To change a shape: bump {@link EventCodec#CURRENT_SCHEMA_VERSION}, add an upcaster, keep the old version's
 * files (they must still decode), and write the new ones with {@code -Dmxshift.golden.update=true}; review
 * the diff like code.
 */
class EventGoldenFilesTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/events");
    private static final boolean UPDATE = Boolean.getBoolean("mxshift.golden.update");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final EventCodec codec = new EventCodec();
    private final Map<String, EventEnvelope> samples = EventSamples.byType();

    private static Path current(String type) {
        return GOLDEN.resolve("v" + EventCodec.CURRENT_SCHEMA_VERSION).resolve(type + ".json");
    }

    @TestFactory
    Stream<DynamicTest> everyEventTypeEncodesExactlyAsItsGoldenFile() {
        return EventType.all().stream().map(type -> DynamicTest.dynamicTest(type.wireName(), () -> {
            EventEnvelope sample = samples.get(type.wireName());
            assertThat(sample).as("EventSamples has no sample of %s: add a scenario that reaches it", type.wireName()).isNotNull();
            Path file = current(type.wireName());
            JsonNode actual = JSON.readTree(codec.encode(sample));
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, JSON.writeValueAsString(actual) + "\n");
            }
            assertThat(file).as("golden file for %s; write it with -Dmxshift.golden.update=true and review it", type.wireName()).exists();
            assertThat(actual).isEqualTo(JSON.readTree(Files.readAllBytes(file)));
            // and in the same order, each value written alike: the file as the encoding indented gives it, to the byte
            assertThat(JSON.writeValueAsString(actual) + "\n").isEqualTo(Files.readString(file));
            assertThat(codec.decode(Files.readAllBytes(file))).isEqualTo(sample);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenFileOfEveryVersionStillDecodes() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(GOLDEN.relativize(file).toString(), () -> {
                        EventEnvelope decoded = codec.decode(Files.readAllBytes(file));
                        assertThat(decoded.type() + ".json").isEqualTo(file.getFileName().toString());
                        assertThat(decoded.schemaVersion()).isEqualTo(EventCodec.CURRENT_SCHEMA_VERSION);
                    }));
        }
    }

    @Test
    void thereIsNoGoldenFileForATypeThatNoLongerExists() throws IOException {
        Set<String> known = EventType.all().stream().map(t -> t.wireName() + ".json").collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(GOLDEN.resolve("v" + EventCodec.CURRENT_SCHEMA_VERSION))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).allMatch(known::contains);
        }
    }
}
