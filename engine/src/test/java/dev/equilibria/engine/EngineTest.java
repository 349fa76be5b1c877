package dev.equilibria.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.engine.kv.KvEventSink;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.FinishReason;
import dev.equilibria.engine.scheduler.Sequence;
import dev.equilibria.engine.scheduler.SequenceMode;
import dev.equilibria.engine.scheduler.SequenceRequest;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EngineTest {

    private static final PolynomialTimingModel TIMING = PolynomialTimingModel.DEFAULT;

    private Engine engine(EngineConfig config) {
        return new Engine(config, TIMING, LinkProfile.INTRA_NODE, VocabularySampler.commonWords(new SplittableRandom(1)),
                KvEventSink.NONE);
    }

    private static EngineConfig config(int blocks, int maxSeqs, int maxBatched) {
        return new EngineConfig(16, blocks, maxSeqs, maxBatched, 100_000, 1_000);
    }

    private static int[] prompt(int n, long seed) {
        Random r = new Random(seed);
        return IntStream.range(0, n).map(i -> r.nextInt(50_000)).toArray();
    }

    @Test
    void aFullSequenceProducesExactlyMaxTokens() {
        Engine engine = engine(config(1000, 8, 512));
        RecordingListener out = new RecordingListener();
        engine.submit(new SequenceRequest("r", SequenceMode.FULL, prompt(100, 1), new int[0], 37, new int[0]), out, 0);

        new VirtualDriver(engine).runUntilIdle();

        assertThat(out.tokens).hasSize(37);
        assertThat(out.indexes).containsExactlyElementsOf(IntStream.range(0, 37).boxed().toList());
        assertThat(out.finish).isEqualTo(FinishReason.LENGTH);
        assertThat(engine.usedBlocks()).isZero();
    }

    @Test
    void aPrefillOnlySequenceStopsAfterTheFirstTokenAndKeepsItsPromptCached() {
        Engine engine = engine(config(1000, 8, 512));
        RecordingListener out = new RecordingListener();
        engine.submit(SequenceRequest.prefill("r", prompt(100, 1)), out, 0);

        new VirtualDriver(engine).runUntilIdle();

        assertThat(out.tokens).hasSize(1);
        assertThat(out.finish).isEqualTo(FinishReason.HANDOFF);
        assertThat(engine.cachedBlocks()).isEqualTo(100 / 16);
        assertThat(engine.usedBlocks()).as("pinned until the decode worker has the KV").isEqualTo(7);
        assertThat(engine.isIdle()).isFalse();

        assertThat(engine.releaseHandoff("r")).isTrue();

        assertThat(engine.usedBlocks()).isZero();
        assertThat(engine.cachedBlocks()).isEqualTo(100 / 16);
        assertThat(engine.isIdle()).isTrue();
        assertThat(engine.releaseHandoff("r")).isFalse();
    }

    @Test
    void anUnconfirmedHandoffHoldExpires() {
        Engine engine = new Engine(config(1000, 8, 512), TIMING, LinkProfile.INTRA_NODE,
                VocabularySampler.commonWords(new SplittableRandom(1)), KvEventSink.NONE, java.time.Duration.ofSeconds(1));
        engine.submit(SequenceRequest.prefill("r", prompt(100, 1)), new RecordingListener(), 0);
        VirtualDriver driver = new VirtualDriver(engine);
        driver.runUntilIdle();

        assertThat(engine.heldHandoffs()).isEqualTo(1);
        engine.beginStep(driver.now + 2_000_000_000L);

        assertThat(engine.heldHandoffs()).isZero();
        assertThat(engine.usedBlocks()).isZero();
        assertThat(engine.stats().expiredHandoffs()).isEqualTo(1);
    }

    @Test
    void aDecodeOnlySequenceWaitsForItsKvTransferThenGenerates() {
        Engine engine = engine(config(1000, 8, 512));
        RecordingListener out = new RecordingListener();
        engine.submit(new SequenceRequest("r", SequenceMode.DECODE_ONLY, prompt(1600, 1), new int[] {7}, 5,
                new int[0]), out, 0);
        VirtualDriver driver = new VirtualDriver(engine);

        assertThat(engine.beginStep(0)).isNull(); // admitted, but its KV is still on the wire
        long transfer = LinkProfile.INTRA_NODE.transferNanos(1600L * 1_000);
        assertThat(engine.nextReadyNanos(0)).isEqualTo(transfer);
        driver.now = transfer;
        StepPlan first = driver.step();

        assertThat(out.kvReceived).isTrue();
        assertThat(first.shape().decodeSeqs()).isEqualTo(1);
        assertThat(first.shape().prefillTokens()).isZero();
        driver.runUntilIdle();
        assertThat(out.indexes).containsExactly(1, 2, 3, 4);
        assertThat(out.finish).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void aStopTokenEndsGenerationEarly() {
        int stop = VocabularySampler.COMMON_WORDS[0];
        Engine engine = new Engine(config(1000, 8, 512), TIMING, LinkProfile.INTRA_NODE,
                new VocabularySampler(new int[] {5, stop}, new SplittableRandom(3)), KvEventSink.NONE);
        RecordingListener out = new RecordingListener();
        engine.submit(new SequenceRequest("r", SequenceMode.FULL, prompt(20, 1), new int[0], 10_000, new int[] {stop}),
                out, 0);

        new VirtualDriver(engine).runUntilIdle();

        assertThat(out.finish).isEqualTo(FinishReason.STOP);
        assertThat(out.tokens.get(out.tokens.size() - 1)).isEqualTo(stop);
        assertThat(out.tokens.subList(0, out.tokens.size() - 1)).doesNotContain(stop);
    }

    @Test
    void prefixHitsAreCountedAcrossRequestsThatShareAPrefix() {
        Engine engine = engine(config(1000, 8, 4096));
        int[] shared = prompt(320, 9);
        int[] a = IntStream.concat(IntStream.of(shared), IntStream.of(prompt(100, 1))).toArray();
        int[] b = IntStream.concat(IntStream.of(shared), IntStream.of(prompt(100, 2))).toArray();
        VirtualDriver driver = new VirtualDriver(engine);

        Sequence first = engine.submit(SequenceRequest.prefill("a", a), new RecordingListener(), 0);
        driver.runUntilIdle();
        Sequence second = engine.submit(SequenceRequest.prefill("b", b), new RecordingListener(), driver.now);
        StepPlan plan = driver.step();

        assertThat(first.cachedPromptTokens()).isZero();
        assertThat(second.cachedPromptTokens()).isEqualTo(320);
        assertThat(plan.shape().prefillTokens()).isEqualTo(420 - 320);
        assertThat(engine.stats().prefixCacheHitRate()).isEqualTo(320.0 / 840);
    }

    @Test
    void aBatchTakesTheTimeTheModelPredicts() {
        Engine engine = engine(config(1000, 8, 4096));
        engine.submit(SequenceRequest.prefill("a", prompt(300, 1)), new RecordingListener(), 0);
        engine.submit(SequenceRequest.prefill("b", prompt(200, 2)), new RecordingListener(), 0);

        StepPlan plan = engine.beginStep(0);

        assertThat(plan.shape().prefillTokens()).isEqualTo(500);
        assertThat(plan.durationNanos()).isEqualTo(Math.round(TIMING.prefillMillis(500) * 1e6));
    }

    @Test
    void longPromptsArePrefilledInChunksOfTheTokenBudget() {
        Engine engine = engine(config(1000, 8, 256));
        engine.submit(SequenceRequest.prefill("a", prompt(1000, 1)), new RecordingListener(), 0);
        VirtualDriver driver = new VirtualDriver(engine);

        List<Integer> chunks = new ArrayList<>();
        while (engine.hasWork()) {
            chunks.add(driver.step().shape().prefillTokens());
        }

        assertThat(chunks).containsExactly(256, 256, 256, 232);
    }

    @Test
    void batchSizeIsCappedByMaxNumSeqsAndTheRestWaitsInArrivalOrder() {
        Engine engine = engine(config(1000, 2, 4096));
        List<String> finished = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            engine.submit(new SequenceRequest(id, SequenceMode.FULL, prompt(16, id.hashCode()), new int[0], 3,
                    new int[0]), new RecordingListener() {
                @Override
                public void onToken(Sequence s, int index, int tokenId, FinishReason finish) {
                    if (finish != null) {
                        finished.add(s.requestId());
                    }
                }
            }, 0);
        }

        StepPlan first = engine.beginStep(0);

        assertThat(first.chunks()).extracting(c -> c.sequence().requestId()).containsExactly("a", "b");
        assertThat(engine.waitingCount()).isEqualTo(1);
        engine.finishStep(first);
        VirtualDriver driver = new VirtualDriver(engine);
        driver.now = first.endNanos();
        driver.runUntilIdle();
        assertThat(finished).containsExactly("a", "b", "c");
    }

    @Test
    void aSlotIsFreeUntilRunningAndQueuedSequencesFillMaxNumSeqs() {
        Engine engine = engine(config(1000, 2, 4096));
        assertThat(engine.hasFreeSlot()).isTrue();
        engine.submit(new SequenceRequest("a", SequenceMode.FULL, prompt(16, 1), new int[0], 3, new int[0]),
                new RecordingListener(), 0);
        assertThat(engine.hasFreeSlot()).as("one queued of two slots").isTrue();
        engine.submit(new SequenceRequest("b", SequenceMode.FULL, prompt(16, 2), new int[0], 3, new int[0]),
                new RecordingListener(), 0);
        assertThat(engine.hasFreeSlot()).as("queued sequences take their slots at the next step").isFalse();

        StepPlan step = engine.beginStep(0);
        assertThat(engine.runningCount()).isEqualTo(2);
        assertThat(engine.hasFreeSlot()).isFalse();
        engine.finishStep(step);
        VirtualDriver driver = new VirtualDriver(engine);
        driver.now = step.endNanos();
        driver.runUntilIdle();
        assertThat(engine.hasFreeSlot()).as("both finished").isTrue();
    }

    @Test
    void preemptionUnderKvPressureNeverLosesOrDuplicatesATokenAndMatchesAnUnpressuredRun() {
        // 12 blocks of 16 tokens: three 60-token sequences growing to 100 tokens cannot all stay resident
        List<RecordingListener> pressured = runThree(config(12, 8, 4096));
        List<RecordingListener> roomy = runThree(config(1000, 8, 4096));

        for (int i = 0; i < 3; i++) {
            assertThat(pressured.get(i).indexes).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
            assertThat(pressured.get(i).finish).isEqualTo(FinishReason.LENGTH);
        }
        assertThat(pressured.stream().mapToInt(l -> l.tokens.size()).sum())
                .isEqualTo(roomy.stream().mapToInt(l -> l.tokens.size()).sum());
    }

    private List<RecordingListener> runThree(EngineConfig config) {
        Engine engine = engine(config);
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingListener l = new RecordingListener();
            listeners.add(l);
            engine.submit(new SequenceRequest("r" + i, SequenceMode.FULL, prompt(60, i), new int[0], 40, new int[0]),
                    l, 0);
        }
        new VirtualDriver(engine).runUntilIdle();
        if (config.numBlocks() == 12) {
            assertThat(engine.stats().preemptions()).isPositive();
        }
        assertThat(engine.usedBlocks()).isZero();
        return listeners;
    }

    @Test
    void reservingWholeSequencesAdmitsFewerButNeverPreempts() {
        Engine lazy = engine(config(12, 8, 4096));
        Engine reserve = engine(config(12, 8, 4096)).withKvAdmission(
                dev.equilibria.engine.scheduler.KvAdmission.RESERVE);
        for (Engine e : List.of(lazy, reserve)) {
            for (int i = 0; i < 3; i++) {
                e.submit(new SequenceRequest("r" + i, SequenceMode.FULL, prompt(60, i), new int[0], 40, new int[0]),
                        new RecordingListener(), 0);
            }
        }

        assertThat(lazy.beginStep(0).chunks()).hasSize(3);
        assertThat(reserve.beginStep(0).chunks()).as("100 tokens = 7 blocks each; 12 blocks hold one").hasSize(1);
        new VirtualDriver(reserve).runUntilIdle();
        assertThat(reserve.stats().preemptions()).isZero();
        assertThat(reserve.stats().finished()).isEqualTo(3);
    }

    @Test
    void aFullyCachedPromptRecomputesItsLastTokenUnderBothAdmissionModels() {
        for (var admission : dev.equilibria.engine.scheduler.KvAdmission.values()) {
            Engine engine = engine(config(1000, 8, 4096)).withKvAdmission(admission);
            int[] whole = prompt(128, 3); // eight full blocks of 16: every block of the prompt is cacheable
            VirtualDriver driver = new VirtualDriver(engine);
            engine.submit(SequenceRequest.prefill("a", whole), new RecordingListener(), 0);
            driver.runUntilIdle();
            engine.submit(new SequenceRequest("b", SequenceMode.FULL, whole, new int[0], 40, new int[0]),
                    new RecordingListener(), driver.now);

            StepPlan plan = driver.step();

            assertThat(plan.shape().prefillTokens()).as(admission.name()).isEqualTo(16);
        }
    }

    @Test
    void cancellingFreesTheBlocksAndTellsTheListener() {
        Engine engine = engine(config(1000, 8, 512));
        RecordingListener out = new RecordingListener();
        engine.submit(new SequenceRequest("r", SequenceMode.FULL, prompt(100, 1), new int[0], 1000, new int[0]), out, 0);
        VirtualDriver driver = new VirtualDriver(engine);
        driver.step();
        driver.step();

        assertThat(engine.cancel("r", "client went away")).isTrue();

        assertThat(out.aborted).isEqualTo("client went away");
        assertThat(engine.usedBlocks()).isZero();
        assertThat(engine.hasWork()).isFalse();
        assertThat(engine.cancel("r", "again")).isFalse();
    }

    @Test
    void rejectsSequencesThatCanNeverFit() {
        Engine engine = engine(new EngineConfig(16, 10, 8, 512, 1000, 1));

        assertThatThrownBy(() -> engine.submit(new SequenceRequest("r", SequenceMode.FULL, prompt(900, 1), new int[0],
                200, new int[0]), new RecordingListener(), 0)).hasMessageContaining("max_model_len");
        assertThatThrownBy(() -> engine.submit(new SequenceRequest("r", SequenceMode.FULL, prompt(150, 1), new int[0],
                20, new int[0]), new RecordingListener(), 0)).hasMessageContaining("KV cache");
        assertThatThrownBy(() -> engine.submit(new SequenceRequest("r", SequenceMode.FULL, new int[0], new int[0],
                20, new int[0]), new RecordingListener(), 0)).hasMessageContaining("empty");
    }
}
