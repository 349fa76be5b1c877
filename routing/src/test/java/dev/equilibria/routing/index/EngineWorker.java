package dev.equilibria.routing.index;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import dev.equilibria.protocol.event.KvEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A real engine driven in virtual time whose KV cache changes come out as numbered {@link KvEvent}s, the way
 * worker-runtime publishes them.
 */
final class EngineWorker {

    final String id;
    final Engine engine;
    final List<KvEvent> outbox = new ArrayList<>();
    private long seq;
    private long now;
    private int submitted;

    EngineWorker(String id, int blockSize, int blocks, long seed) {
        this.id = id;
        KvEventSink sink = new KvEventSink() {
            @Override
            public void stored(Long parentHash, List<Long> blockHashes) {
                outbox.add(new KvEvent.BlocksStored(id, ++seq, 0, parentHash, blockHashes));
            }

            @Override
            public void removed(List<Long> blockHashes) {
                outbox.add(new KvEvent.BlocksRemoved(id, ++seq, 0, blockHashes));
            }

            @Override
            public void cleared() {
                outbox.add(new KvEvent.AllCleared(id, ++seq, 0));
            }
        };
        engine = new Engine(new EngineConfig(blockSize, blocks, 8, 256, 100_000, 100), PolynomialTimingModel.DEFAULT,
                LinkProfile.INTRA_NODE, VocabularySampler.commonWords(new SplittableRandom(seed)), sink);
        snapshot(); // what a worker does on startup
    }

    void submit(int[] prompt, int maxTokens) {
        SequenceListener ignore = (s, index, token, finish) -> { };
        engine.submit(new SequenceRequest(id + "-r" + submitted++, SequenceMode.FULL, prompt, new int[0], maxTokens,
                new int[0]), ignore, now);
    }

    void step() {
        StepPlan plan = engine.beginStep(now);
        if (plan == null) {
            now = Math.min(engine.nextReadyNanos(now), now + 1_000_000);
            return;
        }
        now = plan.endNanos();
        engine.finishStep(plan);
    }

    /** A worker's answer to a kv_snapshot command. */
    void snapshot() {
        outbox.add(new KvEvent.AllCleared(id, ++seq, 0));
        List<Long> cached = engine.cachedBlockHashes();
        if (!cached.isEmpty()) {
            outbox.add(new KvEvent.BlocksStored(id, ++seq, 0, null, cached));
        }
    }

    List<KvEvent> drain() {
        List<KvEvent> events = new ArrayList<>(outbox);
        outbox.clear();
        return events;
    }

    Set<Long> cached() {
        return new HashSet<>(engine.cachedBlockHashes());
    }
}
