package dev.equilibria.engine.kv;

import java.util.List;

/** Receives every change to a worker's prefix cache, in order. */
public interface KvEventSink {

    KvEventSink NONE = new KvEventSink() {
        @Override
        public void stored(Long parentHash, List<Long> blockHashes) {
        }

        @Override
        public void removed(List<Long> blockHashes) {
        }

        @Override
        public void cleared() {
        }
    };

    /** Blocks became reusable by later requests, in prefix order after {@code parentHash}. */
    void stored(Long parentHash, List<Long> blockHashes);

    /** Blocks were evicted and can no longer be reused. */
    void removed(List<Long> blockHashes);

    /** The whole cache was dropped. */
    void cleared();
}
