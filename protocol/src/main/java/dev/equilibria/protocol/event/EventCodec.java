package dev.equilibria.protocol.event;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads events as JSON with snake_case field names (the names Dynamo and the paper use, for
 * example {@code overlap_score_weight}). Thread-safe.
 */
public final class EventCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    /** The mapper events are written with, for callers that serialise DTOs next to events. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static String encode(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JacksonException e) {
            throw new EventFormatException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads one event.
     *
     * @throws EventFormatException when the JSON is malformed or its major version is newer than ours
     */
    public static <T> T decode(String json, Class<T> type) {
        T event;
        try {
            event = MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new EventFormatException("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        if (event instanceof VersionedEvent versioned && versioned.version() > VersionedEvent.CURRENT_VERSION) {
            throw new EventFormatException(type.getSimpleName() + " has schema version " + versioned.version()
                    + ", this build reads up to " + VersionedEvent.CURRENT_VERSION, null);
        }
        return event;
    }
}
