package dev.equilibria.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which phase of a request a routing decision placed. */
public enum RoutingLeg {
    PREFILL, DECODE, AGGREGATED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RoutingLeg fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
