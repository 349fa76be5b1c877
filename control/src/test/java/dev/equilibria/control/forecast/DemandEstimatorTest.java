package dev.equilibria.control.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemandEstimatorTest {

    private static final RouterSettings KV = new RouterSettings("kv", 1, 0);

    private static RoutingDecision decision(String id, long t, RoutingLeg leg, int prompt, int maxTokens,
                                            int overlapBlocks) {
        return new RoutingDecision(id, "gw-1", t, leg, "w-1", KV, prompt, prompt / 64, maxTokens, List.of(
                new CandidateCost("w-0", 0, 1, 0, 1),
                new CandidateCost("w-1", overlapBlocks, 1, 0, 0.5)));
    }

    private final DemandEstimator estimator = new DemandEstimator(
            new DemandEstimator.Params(Duration.ofSeconds(10), 64, 1000));

    @Test
    void countsPrefillAndAggregatedLegsButNotDecodeLegs() {
        // seen long enough ago that the rate is taken over the whole window
        estimator.onDecision(decision("early", 0, RoutingLeg.PREFILL, 1000, 200, 0));
        for (int i = 0; i < 20; i++) {
            estimator.onDecision(decision("r" + i, 1_500 + i * 500L, i % 2 == 0 ? RoutingLeg.PREFILL
                    : RoutingLeg.AGGREGATED, 1000, 200, 0));
            estimator.onDecision(decision("r" + i, 1_500 + i * 500L + 50, RoutingLeg.DECODE, 1000, 200, 0));
        }
        DemandSnapshot s = estimator.snapshot(11_000);
        assertThat(s.requests()).isEqualTo(20);
        assertThat(s.workload().arrivalRate()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void measuresTheRateOverTheTimeSeenUntilTheWindowIsFull() {
        estimator.onDecision(decision("a", 1_000, RoutingLeg.PREFILL, 100, 10, 0));
        estimator.onDecision(decision("b", 2_000, RoutingLeg.PREFILL, 100, 10, 0));
        estimator.onDecision(decision("c", 3_000, RoutingLeg.PREFILL, 100, 10, 0));
        // three requests in the 4 s since the first one
        assertThat(estimator.snapshot(5_000).workload().arrivalRate()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void lengthsPercentileAndPrefixHitsComeFromTheWindow() {
        int[] prompts = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
        for (int i = 0; i < prompts.length; i++) {
            // the chosen worker holds 1 block (64 tokens) of every prompt
            estimator.onDecision(decision("r" + i, 1_000 + i, RoutingLeg.PREFILL, prompts[i], 100 + i, 1));
        }
        Workload w = estimator.snapshot(2_000).workload();
        assertThat(w.meanInputTokens()).isEqualTo(550);
        assertThat(w.p90InputTokens()).isEqualTo(900);
        assertThat(w.meanOutputTokens()).isCloseTo(104.5, within(1e-9));
        assertThat(w.prefixHitRate()).isCloseTo(640 / 5500.0, within(1e-9));
    }

    @Test
    void cachedTokensNeverExceedThePrompt() {
        estimator.onDecision(decision("r", 1_000, RoutingLeg.PREFILL, 100, 10, 5));
        assertThat(estimator.snapshot(1_500).workload().prefixHitRate()).isEqualTo(1);
    }

    @Test
    void reportedCompletionsReplaceMaxTokensAsTheOutputLength() {
        estimator.onDecision(decision("r", 1_000, RoutingLeg.PREFILL, 100, 4096, 0));
        assertThat(estimator.snapshot(1_500).workload().meanOutputTokens()).isEqualTo(4096);
        estimator.onCompletion(1_600, 300);
        estimator.onCompletion(1_700, 500);
        assertThat(estimator.snapshot(2_000).workload().meanOutputTokens()).isEqualTo(400);
    }

    @Test
    void oldSamplesLeaveTheWindowAndLengthsCarryOver() {
        estimator.onDecision(decision("r", 1_000, RoutingLeg.PREFILL, 800, 100, 0));
        DemandSnapshot later = estimator.snapshot(20_000);
        assertThat(later.requests()).isZero();
        assertThat(later.workload().arrivalRate()).isZero();
        assertThat(later.workload().meanInputTokens()).isEqualTo(800);
    }

    @Test
    void paramsNameTheBadField() {
        assertThatThrownBy(() -> new DemandEstimator.Params(Duration.ZERO, 64, 10))
                .hasMessageContaining("demand.window");
        assertThatThrownBy(() -> new DemandEstimator.Params(Duration.ofSeconds(1), 0, 10))
                .hasMessageContaining("demand.block_size");
    }
}
