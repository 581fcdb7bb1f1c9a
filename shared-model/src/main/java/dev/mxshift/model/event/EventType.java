package dev.mxshift.model.event;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalogue of event types, read from the sealed hierarchy so that a new event cannot be forgotten here. */
public record EventType(String wireName, Class<? extends MigrationEvent> javaType) {

    private static final Map<String, EventType> BY_NAME = new LinkedHashMap<>();

    static {
        for (Class<?> permitted : MigrationEvent.class.getPermittedSubclasses()) {
            EventType type = new EventType(permitted.getSimpleName(), permitted.asSubclass(MigrationEvent.class));
            BY_NAME.put(type.wireName(), type);
        }
    }

    public static List<EventType> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<EventType> byWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static EventType of(MigrationEvent event) {
        return BY_NAME.get(event.getClass().getSimpleName());
    }

    @Override
    public String toString() {
        return wireName + " " + Arrays.toString(javaType.getRecordComponents());
    }
}
