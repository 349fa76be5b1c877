package dev.equilibria.engine.kv;

import dev.equilibria.protocol.event.KvEvent;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one worker's cache changes into protocol KV events with consecutive sequence numbers, so a reader (a
 * router's index, over Kafka or in the simulator) can mirror the cache and notice any gap.
 */
public final class KvEventLog implements KvEventSink {

    private final String workerId;
    private final Consumer<KvEvent> out;
    private final InstantSource clock;
    private long seq;

    public KvEventLog(String workerId, Consumer<KvEvent> out, InstantSource clock) {
        this.workerId = workerId;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void stored(Long parentHash, List<Long> blockHashes) {
        out.accept(new KvEvent.BlocksStored(workerId, ++seq, clock.millis(), parentHash, blockHashes));
    }

    @Override
    public void removed(List<Long> blockHashes) {
        out.accept(new KvEvent.BlocksRemoved(workerId, ++seq, clock.millis(), blockHashes));
    }

    @Override
    public void cleared() {
        out.accept(new KvEvent.AllCleared(workerId, ++seq, clock.millis()));
    }

    /** A full snapshot: everything cleared, then every cached block stored, each with its own sequence number. */
    public void snapshot(List<Long> cachedHashes) {
        cleared();
        if (!cachedHashes.isEmpty()) {
            stored(null, cachedHashes);
        }
    }

    public long lastSeq() {
        return seq;
    }
}
