package dev.mxshift.model.workflow;

import dev.mxshift.model.dns.DomainName;
import dev.mxshift.model.serde.EventDecodingException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * Why the wave gate holds a ready domain (decision 0017, addendum): what the record-generation service publishes on
 * the gate-holds topic, keyed by domain, so that operators see it. A hold is advice, not an event: it applies only
 * while the domain's state is still the one at {@code sequence} (READY); a newer state makes it void, whatever the
 * topic still says.
 *
 * @param sequence the sequence of the domain's state the gate held
 * @param reason   the gate's reason, in words (which limit, which wave or tenant)
 * @param since    when the gate first held this state
 */
public record GateHold(DomainName domain, long sequence, String reason, Instant since) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public GateHold {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** Whether this hold is about the state the domain is in now. */
    public boolean appliesTo(MigrationState state) {
        return state.domain().equals(domain) && state.sequence() == sequence && state.status() == WorkflowStatus.READY;
    }

    public byte[] encode() {
        return JSON.createObjectNode().put("domain", domain.value()).put("sequence", sequence).put("reason", reason)
                .put("since", since.toString()).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A record of the gate-holds topic; a value that is not one is refused, naming the field. */
    public static GateHold decode(byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new EventDecodingException("a gate hold is not JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return new GateHold(DomainName.of(text(node, "domain")), number(node, "sequence"), text(node, "reason"),
                    Instant.parse(text(node, "since")));
        } catch (RuntimeException e) {
            throw e instanceof EventDecodingException d ? d : new EventDecodingException("a gate hold does not decode: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isString()) {
            throw new EventDecodingException("a gate hold has no text field '" + field + "'", null);
        }
        return v.asString();
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isIntegralNumber()) {
            throw new EventDecodingException("a gate hold has no integer field '" + field + "'", null);
        }
        return v.asLong();
    }
}
