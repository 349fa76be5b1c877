package dev.equilibria.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a worker does in the disaggregated pipeline. */
public enum WorkerRole {
    /** Computes the prompt's KV cache and hands it off to a decode worker. */
    PREFILL,
    /** Receives a KV handoff and generates tokens. */
    DECODE,
    /** Runs both phases on one worker. */
    AGGREGATED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkerRole fromWireName(String name) {
        for (WorkerRole role : values()) {
            if (role.wireName().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown worker role '" + name + "' (expected prefill, decode or aggregated)");
    }
}
