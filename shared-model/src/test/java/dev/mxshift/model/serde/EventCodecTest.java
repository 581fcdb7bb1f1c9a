package dev.mxshift.model.serde;

import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.testing.CooperativeWorld;
import dev.mxshift.model.testing.EventSamples;
import dev.mxshift.model.testing.Fixtures;
import dev.mxshift.model.workflow.MigrationState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
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
        // Pretend the next version renames MigrationFailed's "reason" to "message": today's events are the old shape.
        int current = EventCodec.CURRENT_SCHEMA_VERSION;
        ObjectNode today = encodedSample("MigrationFailed");
        ObjectNode payload = (ObjectNode) today.get("payload");
        payload.set("message", payload.remove("reason"));
        Upcaster renameMessageToReason = new Upcaster() {
            public int fromVersion() {
                return current;
            }

            public ObjectNode upcast(ObjectNode envelope) {
                if (envelope.path("type").asString().equals("MigrationFailed")) {
                    ObjectNode p = (ObjectNode) envelope.get("payload");
                    p.set("reason", p.remove("message"));
                }
                return envelope;
            }
        };
        List<Upcaster> chain = new java.util.ArrayList<>(Upcasters.ALL);
        chain.add(renameMessageToReason);
        EventCodec next = new EventCodec(chain, current + 1);

        EventEnvelope decoded = next.decode(JSON.writeValueAsBytes(today));

        EventEnvelope sample = EventSamples.byType().get("MigrationFailed");
        assertThat(decoded.schemaVersion()).isEqualTo(current + 1);
        assertThat(decoded.payload()).isEqualTo(sample.payload());
        assertThat(decoded.state()).isEqualTo(sample.state());
        assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(today)))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("MigrationFailed").hasMessageContaining("'reason'");
    }

    @Test
    void theOlderFilesUpcastToExactlyTheEventsTheSameScenariosProduceToday() throws Exception {
        // Holds while EventSamples' scenarios are those that wrote v1 and v2: schema 2 only added fields that are null
        // there; schema 3 added the hold (false for every older request) and the carried wave, which older states did
        // not carry (null, except in the request itself, whose payload had it). Event types added later have no file of
        // the older versions (TargetAssigned: no shape of an older event changed; Started: schema 3). Schema 4 added the
        // envelope's actor, which no older event recorded (null), where today's samples of person-caused events name one.
        java.util.Map<Integer, java.util.Set<String>> addedAfter = java.util.Map.of(
                1, java.util.Set.of("TargetAssigned", "Started", "VerificationRetryScheduled"), 2, java.util.Set.of("Started", "VerificationRetryScheduled"),
                3, java.util.Set.of(), 4, java.util.Set.of());
        // Schema 5 added only what is null or false outside the DNSSEC stage, which no older event was in.
        for (int version : new int[]{1, 2, 3, 4}) {
            for (var entry : EventSamples.beforeSchema5().entrySet()) {
                java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/golden/events/v" + version + "/" + entry.getKey() + ".json");
                if (addedAfter.get(version).contains(entry.getKey())) {
                    assertThat(file).doesNotExist();
                    continue;
                }
                byte[] old = java.nio.file.Files.readAllBytes(file);
                assertThat(JSON.readTree(old).path("schemaVersion").asInt()).isEqualTo(version);
                ObjectNode expected = (ObjectNode) JSON.readTree(codec.encode(entry.getValue()));
                if (version < 3 && !entry.getKey().equals("MigrationRequested")) {
                    ((ObjectNode) expected.path("state")).putNull("wave");
                }
                if (version < 4) {
                    expected.putNull("actor");
                }
                ObjectNode upcast = (ObjectNode) JSON.readTree(codec.encode(codec.decode(old)));
                assertThat(upcast).as("v" + version + " " + entry.getKey()).isEqualTo(expected);
            }
        }
        // Schema 6 added LegacyReferencesFound (no file of 5) and the carried legacyReferences, empty in every older state;
        // FixesApproved came later in schema 6 (a new type, no older shape changed: decision 0036).
        for (var entry : EventSamples.byType().entrySet()) {
            java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/golden/events/v5/" + entry.getKey() + ".json");
            if (entry.getKey().equals("LegacyReferencesFound") || entry.getKey().equals("FixesApproved")) {
                assertThat(file).doesNotExist();
                continue;
            }
            ObjectNode upcast = (ObjectNode) JSON.readTree(codec.encode(codec.decode(java.nio.file.Files.readAllBytes(file))));
            assertThat(upcast).as("v5 " + entry.getKey()).isEqualTo(JSON.readTree(codec.encode(entry.getValue())));
        }
    }

    @Test
    void statesWrittenToTheStateTopicByOlderBuildsStillDecode() throws Exception {
        // The state topic holds each domain's latest state as the build of the time wrote it, without a version.
        for (String file : List.of("v1/StepApplied.json", "v2/StepApplied.json", "v2/PlanGenerated.json")) {
            JsonNode old = JSON.readTree(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/test/resources/golden/events/" + file)));
            MigrationState state = codec.decodeState(JSON.writeValueAsBytes(old.get("state")));
            MigrationState upcastEventState = codec.decode(JSON.writeValueAsBytes(old)).state();
            assertThat(state).as(file).isEqualTo(upcastEventState);
            assertThat(state.held()).isFalse();
            assertThat(state.wave()).isNull();
        }
        MigrationState today = EventSamples.byType().get("Started").state();
        assertThat(codec.decodeState(codec.encodeState(today))).isEqualTo(today);
        assertThatThrownBy(() -> codec.decodeState(bytes("[1]"))).isInstanceOf(EventDecodingException.class);
    }

    @Test
    void theRowsUnsignedZonePolicyAndThePreflightsWarningsAreCarriedByTheStateAndSurviveTheWire() {
        dev.mxshift.model.dns.DomainName domain = Fixtures.DOMAIN;
        dev.mxshift.model.event.Finding insecure = new dev.mxshift.model.event.Finding(dev.mxshift.model.event.UnsignedZonePolicy.ZONE_INSECURE,
                dev.mxshift.model.event.UnsignedZonePolicy.NOT_DANE_PROTECTED + ": NO_DS", "sign the zone");
        dev.mxshift.model.testing.DomainHistory history = dev.mxshift.model.testing.DomainHistory.of(domain).addAll(
                new dev.mxshift.model.event.MigrationRequested(Fixtures.PROVIDER, Fixtures.TARGET_HOST, null, List.of(), "test", false,
                        dev.mxshift.model.event.UnsignedZonePolicy.MIGRATE_INSECURE));
        history.add(CooperativeWorld.successorOf(history.state()));
        history.add(new dev.mxshift.model.event.PreflightPassed(List.of(insecure)));
        MigrationState ready = history.state();
        assertThat(ready.unsignedZone()).isEqualTo(dev.mxshift.model.event.UnsignedZonePolicy.MIGRATE_INSECURE);
        assertThat(ready.warnings()).containsExactly(insecure);
        assertThat(codec.decode(codec.encode(history.last()))).isEqualTo(history.last());
        assertThat(codec.decodeState(codec.encodeState(ready))).isEqualTo(ready);
        // a version-3 state of the state topic (no warnings, no policy) still decodes: the upcaster adds them empty
        ObjectNode v3 = (ObjectNode) JSON.readTree(codec.encodeState(ready));
        v3.remove("warnings");
        v3.remove("unsignedZone");
        MigrationState old = codec.decodeState(JSON.writeValueAsBytes(v3));
        assertThat(old.warnings()).isEmpty();
        assertThat(old.unsignedZone()).isNull();
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
