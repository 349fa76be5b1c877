package dev.equilibria.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property: a reader that applies a worker's KV events in order holds exactly the worker's prefix cache. */
class KvEventReplayTest {

    /** What a router's index does with the events, reduced to a set. */
    static final class Mirror implements KvEventSink {
        final Set<Long> blocks = new HashSet<>();

        @Override
        public void stored(Long parentHash, List<Long> blockHashes) {
            blocks.addAll(blockHashes);
        }

        @Override
        public void removed(List<Long> blockHashes) {
            assertThat(blocks).as("only cached blocks are removed").containsAll(blockHashes);
            blockHashes.forEach(blocks::remove);
        }

        @Override
        public void cleared() {
            blocks.clear();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void replayingEventsReproducesTheCacheAfterEveryStep(long seed) {
        Random random = new Random(seed);
        Mirror mirror = new Mirror();
        EngineConfig config = new EngineConfig(16, 40 + random.nextInt(200), 1 + random.nextInt(8),
                32 + random.nextInt(256), 10_000, 100);
        Engine engine = new Engine(config, PolynomialTimingModel.DEFAULT, LinkProfile.INTRA_NODE,
                VocabularySampler.commonWords(new SplittableRandom(seed)), mirror);
        int[][] prefixes = IntStream.range(0, 4).mapToObj(i -> random.ints(16 * (1 + random.nextInt(6)), 0, 1000)
                .toArray()).toArray(int[][]::new);
        long now = 0;
        for (int step = 0; step < 600; step++) {
            if (random.nextInt(3) == 0) {
                int[] prefix = prefixes[random.nextInt(prefixes.length)];
                int[] prompt = IntStream.concat(IntStream.of(prefix), random.ints(1 + random.nextInt(60), 0, 1000))
                        .toArray();
                SequenceMode mode = SequenceMode.values()[random.nextInt(3)];
                int[] generated = mode == SequenceMode.DECODE_ONLY ? new int[] {1} : new int[0];
                engine.submit(new SequenceRequest("r" + step, mode, prompt, generated, 1 + random.nextInt(40),
                        new int[0]), new RecordingListener(), now);
            }
            if (random.nextInt(10) == 0) {
                engine.releaseHandoff("r" + random.nextInt(step + 1));
            }
            StepPlan plan = engine.beginStep(now);
            if (plan == null) {
                now = Math.min(engine.nextReadyNanos(now), now + 1_000_000);
                continue;
            }
            now = plan.endNanos();
            engine.finishStep(plan);

            assertThat(mirror.blocks).containsExactlyInAnyOrderElementsOf(engine.cachedBlockHashes());
        }
    }
}
