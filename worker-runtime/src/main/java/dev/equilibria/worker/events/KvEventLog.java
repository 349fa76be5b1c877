package dev.equilibria.worker.events;

import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.service.kafka.EventPublisher;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one worker's cache changes into KV events with consecutive sequence numbers and publishes them keyed by
 * the worker id, so a reader can mirror the cache and notice any gap.
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

    public static KvEventLog publishingTo(String workerId, EventPublisher publisher, InstantSource clock) {
        return new KvEventLog(workerId, event -> publisher.publish(Topics.KV_EVENTS, workerId, event), clock);
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
