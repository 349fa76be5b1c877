package dev.equilibria.benchmarks;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.FinishReason;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceListener;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One engine step with 256 running sequences over a 16k-block KV pool: batch formation, block growth, prefix-cache
 * registration of filled blocks, eviction, token sampling and listener delivery. A finished sequence is replaced at
 * once by a new one sharing a system prompt, so the batch stays full and every step mixes decode with some prefill,
 * as in a loaded worker. Events go to a sink that counts them, as a simulator's would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineStepBenchmark {

    private static final int RUNNING = 256;
    private static final int BLOCKS = 16_384;

    private Engine engine;
    private long now;
    private long events;

    @Setup(Level.Iteration)
    public void fillBatch() {
        EngineConfig config = new EngineConfig(16, BLOCKS, RUNNING, 8192, 1_000_000, 163_840);
        KvEventSink counting = new KvEventSink() {
            @Override
            public void stored(Long parentHash, List<Long> blockHashes) {
                events += blockHashes.size();
            }

            @Override
            public void removed(List<Long> blockHashes) {
                events += blockHashes.size();
            }

            @Override
            public void cleared() {
                events++;
            }
        };
        engine = new Engine(config, EngineProfiles.LLAMA_70B_B200.rooflineTiming(),
                EngineProfiles.LLAMA_70B_B200.handoffLink(), VocabularySampler.commonWords(new SplittableRandom(7)),
                counting);
        random = new SplittableRandom(11);
        systemPrompt = random.ints(256, 0, 100_000).toArray();
        for (int i = 0; i < RUNNING; i++) {
            submitNew();
        }
        for (int i = 0; i < 2_000; i++) { // reach the steady state: a full batch of sequences at mixed ages
            step();
        }
    }

    private SplittableRandom random;
    private int[] systemPrompt;
    private int submitted;
    private final SequenceListener replaceWhenDone = (Sequence s, int index, int token, FinishReason finish) -> {
        if (finish != null) {
            submitNew();
        }
    };

    private void submitNew() {
        int[] prompt = new int[systemPrompt.length + 64 + random.nextInt(192)];
        System.arraycopy(systemPrompt, 0, prompt, 0, systemPrompt.length);
        for (int i = systemPrompt.length; i < prompt.length; i++) {
            prompt[i] = random.nextInt(100_000);
        }
        engine.submit(new SequenceRequest("r" + submitted++, SequenceMode.FULL, prompt, new int[0],
                64 + random.nextInt(448), new int[0]), replaceWhenDone, now);
    }

    @Benchmark
    public StepPlan fullBatchStep() {
        return step();
    }

    private StepPlan step() {
        StepPlan plan = engine.beginStep(now);
        now = plan.endNanos();
        engine.finishStep(plan);
        return plan;
    }
}
