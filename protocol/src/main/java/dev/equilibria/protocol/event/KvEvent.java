package dev.equilibria.protocol.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A change to one worker's KV cache. {@code seq} increases by exactly one per event of a worker, so a reader
 * that sees a gap knows it missed something and asks for a snapshot.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = KvEvent.BlocksStored.class, name = "stored"),
        @JsonSubTypes.Type(value = KvEvent.BlocksRemoved.class, name = "removed"),
        @JsonSubTypes.Type(value = KvEvent.AllCleared.class, name = "cleared")
})
public sealed interface KvEvent extends VersionedEvent {

    String workerId();

    long seq();

    long timestampMs();

    /**
     * Blocks now cached, in prefix order.
     *
     * @param parentHash hash of the block before the first one, or null when the chain starts at the prompt's start
     */
    record BlocksStored(int version, String workerId, long seq, long timestampMs, Long parentHash,
                        List<Long> blockHashes) implements KvEvent {

        public BlocksStored(String workerId, long seq, long timestampMs, Long parentHash, List<Long> blockHashes) {
            this(CURRENT_VERSION, workerId, seq, timestampMs, parentHash, List.copyOf(blockHashes));
        }
    }

    /** Blocks evicted from the cache. */
    record BlocksRemoved(int version, String workerId, long seq, long timestampMs,
                         List<Long> blockHashes) implements KvEvent {

        public BlocksRemoved(String workerId, long seq, long timestampMs, List<Long> blockHashes) {
            this(CURRENT_VERSION, workerId, seq, timestampMs, List.copyOf(blockHashes));
        }
    }

    /** Everything dropped; a snapshot is this event followed by the stored blocks. */
    record AllCleared(int version, String workerId, long seq, long timestampMs) implements KvEvent {

        public AllCleared(String workerId, long seq, long timestampMs) {
            this(CURRENT_VERSION, workerId, seq, timestampMs);
        }
    }
}
