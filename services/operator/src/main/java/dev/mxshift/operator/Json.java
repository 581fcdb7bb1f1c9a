package dev.mxshift.operator;

import dev.mxshift.model.serde.EventCodec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON for {@code --json}: one document per command, stable field names, for scripts. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
    static final EventCodec CODEC = new EventCodec();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }
}
