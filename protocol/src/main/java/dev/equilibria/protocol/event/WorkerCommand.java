package dev.equilibria.protocol.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.equilibria.protocol.WorkerRole;
import java.util.Locale;

/**
 * An instruction to one worker, keyed by its id.
 *
 * @param role the new role, for {@link Type#SET_ROLE} only
 */
public record WorkerCommand(int version, String commandId, String workerId, Type type, WorkerRole role,
                            String issuedBy, long timestampMs) implements VersionedEvent {

    public WorkerCommand(String commandId, String workerId, Type type, WorkerRole role, String issuedBy,
                         long timestampMs) {
        this(CURRENT_VERSION, commandId, workerId, type, role, issuedBy, timestampMs);
    }

    /** What the worker is asked to do. */
    public enum Type {
        /** Drain in-flight work, then take the given role. */
        SET_ROLE,
        /** Publish a full snapshot of the KV cache (a reader saw a sequence gap). */
        KV_SNAPSHOT,
        /** Stop accepting new work. */
        DRAIN,
        /** Accept new work again. */
        UNDRAIN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Type fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }
}
