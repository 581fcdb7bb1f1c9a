package dev.mxshift.model.serde;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.dns.TenantId;
import dev.mxshift.model.event.EventEnvelope;
import dev.mxshift.model.event.EventType;
import dev.mxshift.model.event.MigrationEvent;
import dev.mxshift.model.workflow.MigrationState;
import dev.mxshift.model.workflow.WorkflowStatus;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The wire format of {@code migration.events} and of the state topic: UTF-8 JSON, one envelope per record.
 * Decoding upcasts older envelopes step by step to the current schema before binding them, so every
 * event ever written can be replayed.
 */
public final class EventCodec {

    /**
     * The schema version this build writes. Change it only together with a new upcaster and new golden files. Not a
     * compile-time constant on purpose: a module compiled against an older build would otherwise keep the old number
     * inlined and write events this build's codec refuses.
     */
    public static final int CURRENT_SCHEMA_VERSION = Integer.parseInt("6");

    private final JsonMapper mapper;
    private final Map<Integer, Upcaster> upcasters;
    private final int currentVersion;

    /** The codec of this build: writes {@link #CURRENT_SCHEMA_VERSION}, upcasts every older one. */
    public EventCodec() {
        this(Upcasters.ALL, CURRENT_SCHEMA_VERSION);
    }

    /** For tests of the upcasting hook: a codec whose current version and upcasters are given. */
    public EventCodec(List<Upcaster> upcasters, int currentVersion) {
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Every field is written, nulls included; a missing one means an old shape that no upcaster fixed.
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // Records serialise their components only; derived "isX()" methods are not wire fields.
                .changeDefaultVisibility(checker -> checker.withIsGetterVisibility(JsonAutoDetect.Visibility.NONE))
                .build();
        Map<Integer, Upcaster> byVersion = new TreeMap<>();
        for (Upcaster upcaster : upcasters) {
            if (byVersion.put(upcaster.fromVersion(), upcaster) != null) {
                throw new IllegalArgumentException("two upcasters from version " + upcaster.fromVersion());
            }
        }
        for (int v = 1; v < currentVersion; v++) {
            if (!byVersion.containsKey(v)) {
                throw new IllegalArgumentException("no upcaster from version " + v + " to " + (v + 1));
            }
        }
        this.upcasters = byVersion;
        this.currentVersion = currentVersion;
    }

    public int currentVersion() {
        return currentVersion;
    }

    /**
     * The envelope as the log carries it, field by field in this order. The payload is declared {@code Object} so
     * that it is written as its own record type, as the event types' golden files have it.
     */
    record WireEnvelope(String eventId, String domain, String tenant, long sequence, String causationId, String occurredAt,
                        int schemaVersion, String type, Object payload, MigrationState state, dev.mxshift.model.event.Actor actor) {
    }

    public byte[] encode(EventEnvelope event) {
        if (event.schemaVersion() != currentVersion) {
            throw new IllegalArgumentException("this codec writes schema version " + currentVersion
                    + "; the event says " + event.schemaVersion());
        }
        // Serialized as one record of the envelope's fields in their order, each value by the mapper's own serializers:
        // no tree of the event is built first (an event carries the domain's whole state; issue 32 item 7).
        return mapper.writeValueAsBytes(new WireEnvelope(event.eventId().toString(), event.domain().value(), event.tenant().value(),
                event.sequence(), event.causationId() == null ? null : event.causationId().toString(), event.occurredAt().toString(),
                event.schemaVersion(), event.type(), event.payload(), event.state(), event.actor()));
    }

    public EventEnvelope decode(byte[] bytes) {
        ObjectNode node;
        try {
            JsonNode tree = mapper.readTree(bytes);
            if (!(tree instanceof ObjectNode object)) {
                throw new EventDecodingException("an event must be a JSON object", null);
            }
            node = object;
        } catch (JacksonException e) {
            throw new EventDecodingException("not JSON: " + e.getOriginalMessage(), e);
        }
        int version = node.path("schemaVersion").asInt(0);
        if (version < 1) {
            throw new EventDecodingException("missing or invalid schemaVersion", null);
        }
        if (version > currentVersion) {
            throw new EventDecodingException("schema version " + version + " is newer than this build understands ("
                    + currentVersion + "); upgrade this service before it consumes the topic", null);
        }
        for (int v = version; v < currentVersion; v++) {
            node = upcasters.get(v).upcast(node);
            node.put("schemaVersion", v + 1);
        }
        String typeName = node.path("type").asString("");
        EventType type = EventType.byWireName(typeName)
                .orElseThrow(() -> new EventDecodingException("unknown event type '" + typeName + "'", null));
        try {
            MigrationEvent payload = mapper.treeToValue(required(node, "payload"), type.javaType());
            MigrationState state = mapper.treeToValue(required(node, "state"), MigrationState.class);
            // Present on every version-4 event, null where no person or token asked (a missing key is an unknown shape).
            JsonNode actorNode = node.get("actor");
            if (actorNode == null) {
                throw new EventDecodingException("the envelope has no 'actor'", null);
            }
            dev.mxshift.model.event.Actor actor = actorNode.isNull() ? null : mapper.treeToValue(actorNode, dev.mxshift.model.event.Actor.class);
            String causation = node.path("causationId").isNull() || node.path("causationId").isMissingNode()
                    ? null : node.path("causationId").asString();
            return new EventEnvelope(
                    UUID.fromString(required(node, "eventId").asString()),
                    DomainName.of(required(node, "domain").asString()),
                    TenantId.of(required(node, "tenant").asString()),
                    required(node, "sequence").asLong(),
                    causation == null ? null : UUID.fromString(causation),
                    Instant.parse(required(node, "occurredAt").asString()),
                    currentVersion, payload, state, actor);
        } catch (JacksonException e) {
            throw new EventDecodingException(typeName + " event does not match its schema: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new EventDecodingException(typeName + " event holds an invalid value: " + e.getMessage(), e);
        }
    }

    /**
     * The envelope of a record without its payload, and of its carried state only {@code status}, {@code paused} and
     * {@code held}: one pass of the tokenizer, nothing bound. Refuses what {@link #decode} refuses for the envelope
     * (not JSON, no schema version or a newer one, an unknown type, a missing identity field, no state); a payload or a
     * state that does not match its schema is found only by {@link #decode}. A record of an older schema version gives
     * its header as written, with whatever of the three it held; such a record must be decoded whole to be used.
     */
    public EventHeader readHeader(byte[] bytes) {
        String eventId = null;
        String domain = null;
        String tenant = null;
        String causationId = null;
        String occurredAt = null;
        int payloadStart = -1;
        int payloadEnd = -1;
        int actorStart = -1;
        int actorEnd = -1;
        String type = null;
        long sequence = -1;
        int version = 0;
        WorkflowStatus status = null;
        boolean paused = false;
        boolean held = false;
        int stateStart = -1;
        int stateEnd = -1;
        try (JsonParser parser = mapper.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new EventDecodingException("an event must be a JSON object", null);
            }
            for (String field = parser.nextName(); field != null; field = parser.nextName()) {
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "eventId" -> eventId = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "domain" -> domain = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "tenant" -> tenant = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "causationId" -> causationId = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "occurredAt" -> occurredAt = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "payload", "actor" -> {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        int end = (int) parser.currentLocation().getByteOffset();
                        if (field.equals("payload")) {
                            payloadStart = start;
                            payloadEnd = end;
                        } else {
                            actorStart = start;
                            actorEnd = end;
                        }
                    }
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "sequence" -> sequence = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "schemaVersion" -> version = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
                    case "state" -> {
                        if (value != JsonToken.START_OBJECT) {
                            parser.skipChildren();
                            break;
                        }
                        stateStart = (int) parser.currentTokenLocation().getByteOffset();
                        for (String inner = parser.nextName(); inner != null; inner = parser.nextName()) {
                            JsonToken innerValue = parser.nextToken();
                            switch (inner) {
                                case "status" -> status = innerValue == JsonToken.VALUE_STRING ? statusNamed(parser.getString()) : null;
                                case "paused" -> paused = innerValue == JsonToken.VALUE_TRUE;
                                case "held" -> held = innerValue == JsonToken.VALUE_TRUE;
                                default -> parser.skipChildren();
                            }
                        }
                        stateEnd = (int) parser.currentLocation().getByteOffset();
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new EventDecodingException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (version < 1) {
            throw new EventDecodingException("missing or invalid schemaVersion", null);
        }
        if (version > currentVersion) {
            throw new EventDecodingException("schema version " + version + " is newer than this build understands ("
                    + currentVersion + "); upgrade this service before it consumes the topic", null);
        }
        String typeName = type == null ? "" : type;
        if (EventType.byWireName(typeName).isEmpty()) {
            throw new EventDecodingException("unknown event type '" + typeName + "'", null);
        }
        if (eventId == null || domain == null || sequence < 0 || stateStart < 0 || status == null) {
            throw new EventDecodingException(typeName + " event does not match its schema: its envelope lacks eventId, domain,"
                    + " sequence or the state's status", null);
        }
        try {
            return new EventHeader(UUID.fromString(eventId), domain, sequence, typeName, version, status, paused, held,
                    tenant, causationId, occurredAt, stateStart, stateEnd, payloadStart, payloadEnd, actorStart, actorEnd);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(typeName + " event holds an invalid value: " + e.getMessage(), e);
        }
    }

    /**
     * The state carried by a record of the current schema version whose header was read: only the state's bytes are
     * bound, not the payload. Refused as {@link #decode} refuses a state that does not match its schema.
     */
    public MigrationState decodeCarriedState(byte[] bytes, EventHeader header) {
        if (header.schemaVersion() != currentVersion) {
            return decode(bytes).state();
        }
        try {
            return mapper.readValue(bytes, header.stateStart, header.stateEnd - header.stateStart, MigrationState.class);
        } catch (JacksonException e) {
            throw new EventDecodingException(header.type() + " event does not match its schema: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new EventDecodingException(header.type() + " event holds an invalid value: " + e.getMessage(), e);
        }
    }

    /**
     * The carried state of a record whose header was read, as the state topic holds it. For the current schema version
     * that is the record's own bytes of the state: the record is bound once, from those bytes, so that a record
     * {@link #decode(byte[])} refuses never reaches the state topic, but no tree is built and the state is not encoded
     * again. A record of an older version is decoded whole (its upcasters run) and its state encoded as
     * {@link #encodeState} does.
     */
    public byte[] stateTopicValue(byte[] bytes, EventHeader header) {
        if (header.schemaVersion() != currentVersion) {
            return encodeState(decode(bytes).state());
        }
        decode(bytes, header, decodeCarriedState(bytes, header));
        return java.util.Arrays.copyOfRange(bytes, header.stateStart, header.stateEnd);
    }

    /**
     * The whole event of a record whose header was read and whose carried state was decoded from it: binds the payload
     * and the actor only. Refuses what {@link #decode(byte[])} refuses, with the same reasons.
     */
    public EventEnvelope decode(byte[] bytes, EventHeader header, MigrationState state) {
        if (header.schemaVersion() != currentVersion) {
            return decode(bytes);
        }
        EventType type = EventType.byWireName(header.type()).orElseThrow();
        try {
            if (header.payloadStart < 0) {
                throw new EventDecodingException("the envelope has no 'payload'", null);
            }
            MigrationEvent payload = mapper.readValue(bytes, header.payloadStart, header.payloadEnd - header.payloadStart, type.javaType());
            if (payload == null) {
                throw new EventDecodingException("the envelope has no 'payload'", null);
            }
            if (header.actorStart < 0) {
                throw new EventDecodingException("the envelope has no 'actor'", null);
            }
            dev.mxshift.model.event.Actor actor = mapper.readValue(bytes, header.actorStart, header.actorEnd - header.actorStart,
                    dev.mxshift.model.event.Actor.class);
            if (header.tenant == null) {
                throw new EventDecodingException("the envelope has no 'tenant'", null);
            }
            if (header.occurredAt == null) {
                throw new EventDecodingException("the envelope has no 'occurredAt'", null);
            }
            return new EventEnvelope(header.eventId(), DomainName.of(header.domain()), TenantId.of(header.tenant), header.sequence(),
                    header.causationId == null ? null : UUID.fromString(header.causationId), Instant.parse(header.occurredAt),
                    currentVersion, payload, state, actor);
        } catch (JacksonException e) {
            throw new EventDecodingException(header.type() + " event does not match its schema: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new EventDecodingException(header.type() + " event holds an invalid value: " + e.getMessage(), e);
        }
    }

    private static WorkflowStatus statusNamed(String name) {
        try {
            return WorkflowStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Any model value (a snapshot, a plan) as the event log writes it, for reports that print the same facts. */
    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    /** The inverse of {@link #toTree}: a model value from what a report printed, with the event log's strictness. */
    public <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new EventDecodingException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(type.getSimpleName() + " holds an invalid value: " + e.getMessage(), e);
        }
    }

    public byte[] encodeState(MigrationState state) {
        return mapper.writeValueAsBytes(state);
    }

    /**
     * A state of the compacted state topic. Those records carry no schema version of their own (they are the state
     * part of an event), so an older one is recognised by the fields later versions added ({@code mtaSts} in 2,
     * {@code held} in 3, {@code warnings} in 4, {@code signing} in 5, {@code legacyReferences} in 6) and brought up by the same upcasters as the events: a build upgraded over a running system
     * still reads every domain's latest state.
     */
    public MigrationState decodeState(byte[] bytes) {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (!(node instanceof ObjectNode state)) {
                throw new EventDecodingException("not a migration state: a state is a JSON object", null);
            }
            int version = !state.has("mtaSts") ? 1 : !state.has("held") ? 2 : !state.has("warnings") ? 3 : !state.has("signing") ? 4
                    : !state.has("legacyReferences") ? 5 : currentVersion;
            if (version < currentVersion) {
                ObjectNode envelope = mapper.createObjectNode();
                envelope.put("type", "(state of the state topic)");
                envelope.set("state", state);
                for (int v = version; v < currentVersion; v++) {
                    envelope = upcasters.get(v).upcast(envelope);
                }
                node = envelope.get("state");
            }
            return mapper.treeToValue(node, MigrationState.class);
        } catch (JacksonException e) {
            throw new EventDecodingException("not a migration state: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException("migration state holds an invalid value: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventDecodingException("the envelope has no '" + field + "'", null);
        }
        return value;
    }
}
