package dev.equilibria.control.efficiency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TtftInflationTest {

    /** 1 ms per uncached token, nothing for cached ones. */
    private static final ZeroLoadTtft PER_TOKEN = sample -> Math.max(1, sample.uncachedTokens());

    private static TtftSample sample(long ts, int prompt, int cached, double observed) {
        return new TtftSample("r" + ts, "p0", ts, prompt, cached, observed);
    }

    @Test
    void inflationIsObservedOverZeroLoadForTheSameRequests() {
        TtftInflation inflation = TtftInflation.of(List.of(
                sample(0, 10, 0, 20),
                sample(1, 10, 0, 40)), PER_TOKEN);

        assertThat(inflation.samples()).isEqualTo(2);
        assertThat(inflation.meanObservedMs()).isEqualTo(30);
        assertThat(inflation.meanZeroLoadMs()).isEqualTo(10);
        assertThat(inflation.meanInflation()).isEqualTo(3);
        assertThat(inflation.p99Inflation()).isEqualTo(4);
        assertThat(inflation.queueingShare()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void cachedPrefixesLowerThePredictionNotTheInflation() {
        // A cache hit is fast because there is less to compute, not because the fleet is idle.
        TtftInflation inflation = TtftInflation.of(List.of(sample(0, 100, 90, 10)), PER_TOKEN);

        assertThat(inflation.meanInflation()).isEqualTo(1);
        assertThat(inflation.queueingShare()).isZero();
    }

    @Test
    void aRequestFasterThanPredictedCountsNoNegativeQueueing() {
        assertThat(TtftInflation.of(List.of(sample(0, 10, 0, 5)), PER_TOKEN).queueingShare()).isZero();
    }

    @Test
    void noSamplesNoValues() {
        TtftInflation inflation = TtftInflation.of(List.of(), PER_TOKEN);

        assertThat(inflation.samples()).isZero();
        assertThat(inflation.meanInflation()).isNaN();
    }

    @Test
    void rejectsANonPositivePrediction() {
        assertThatThrownBy(() -> TtftInflation.of(List.of(sample(0, 10, 0, 5)), s -> 0))
                .hasMessageContaining("zero-load");
        assertThatThrownBy(() -> sample(0, 10, 11, 5)).hasMessageContaining("cached_tokens");
    }

    @Test
    void theTrackerForgetsSamplesPastItsHorizon() {
        TtftInflationTracker tracker = new TtftInflationTracker(PER_TOKEN, new WindowLimits(100, 1_000));
        tracker.record(sample(0, 10, 0, 100));
        tracker.record(sample(900, 10, 0, 20));

        assertThat(tracker.snapshot(950).meanInflation()).isEqualTo(6);
        assertThat(tracker.snapshot(1_500).meanInflation()).isEqualTo(2);
        assertThat(tracker.snapshot(5_000).samples()).isZero();
    }

    @Test
    void theTrackerKeepsAtMostMaxSamples() {
        TtftInflationTracker tracker = new TtftInflationTracker(PER_TOKEN, new WindowLimits(2, 60_000));
        tracker.record(sample(0, 10, 0, 100));
        tracker.record(sample(1, 10, 0, 10));
        tracker.record(sample(2, 10, 0, 30));

        assertThat(tracker.snapshot(2).meanInflation()).isEqualTo(2);
    }

    @Test
    void engineZeroLoadIsPrefillOfTheUncachedPartPlusOverhead() {
        PrefillTime linear = (tokens, cached) -> tokens == 0 ? 0 : 2 + 0.01 * tokens + 0.001 * cached;
        ZeroLoadTtft zeroLoad = new EngineZeroLoadTtft(linear, 3);

        assertThat(zeroLoad.predictMillis(sample(0, 1_000, 400, 1))).isCloseTo(3 + 2 + 6 + 0.4, within(1e-9));
    }
}
