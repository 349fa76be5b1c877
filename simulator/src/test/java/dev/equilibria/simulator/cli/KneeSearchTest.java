package dev.equilibria.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.simulator.experiment.CapacityPrediction;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.metrics.LatencySummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KneeSearchTest {

    /** An ideal closed loop: response R0 until the capacity X is reached, then everyone else waits in decode. */
    private static RunResult idealLoop(int c, double r0, double capacity) {
        double throughput = Math.min(c / r0, capacity);
        double wait = Math.max(0, c / capacity - r0);
        LatencySummary latency = new LatencySummary(1000, 60, throughput, 0, 0.01, 0.01, 0.01, 0.005, 0.005, r0, r0,
                0.5, 0, wait, 0);
        return new RunResult("C=" + c, latency, Map.of(), 1, 1, List.of(), 60, 1);
    }

    @Test
    void bisectionNarrowsTheGridBracketAndTheAsymptoteEstimateFindsTheKnee() {
        double r0 = 0.8;
        double capacity = 700; // knee at C* = 560
        Map<Integer, RunResult> grid = new TreeMap<>();
        for (int c : new int[] {64, 256, 1024, 2048}) {
            grid.put(c, idealLoop(c, r0, capacity));
        }
        List<Integer> extra = new ArrayList<>();

        KneeSearch.Knee knee = KneeSearch.locate(grid, c -> {
            extra.add(c);
            return idealLoop(c, r0, capacity);
        }, 3);

        assertThat(extra).containsExactly(640, 448, 544); // midpoints of the shrinking bracket
        assertThat(knee.lower()).isEqualTo(544);
        assertThat(knee.upper()).isEqualTo(640);
        assertThat(knee.estimate()).isCloseTo(560, within(1e-6));
        assertThat(KneeSearch.queueAt(1024, grid.get(1024))).isEqualTo("decode");
        assertThat(KneeSearch.queueAt(256, grid.get(256))).isEqualTo("none");
    }

    @Test
    void theEstimateMayLieBelowTheBracketBecauseTheQueueingShareCrossesPastTheKnee() {
        // C* = 560; at C = 600 requests wait 0.057 s of 0.857 s (6.7 %), below the 10 % share, so the bracket is
        // 600-1024 and the knee itself lies under it
        Map<Integer, RunResult> grid = new TreeMap<>();
        for (int c : new int[] {64, 600, 1024}) {
            grid.put(c, idealLoop(c, 0.8, 700));
        }

        KneeSearch.Knee knee = KneeSearch.locate(grid, c -> {
            throw new AssertionError("no extra run allowed");
        }, 0);

        assertThat(knee.lower()).isEqualTo(600);
        assertThat(knee.upper()).isEqualTo(1024);
        assertThat(knee.estimate()).isCloseTo(560, within(1e-6));
    }

    @Test
    void aGridThatNeverReachesTheKneeSaysSoAndRunsNothing() {
        Map<Integer, RunResult> grid = new TreeMap<>(Map.of(16, idealLoop(16, 0.8, 700), 64, idealLoop(64, 0.8, 700)));

        KneeSearch.Knee knee = KneeSearch.locate(grid, c -> {
            throw new AssertionError("no run expected");
        }, 4);

        assertThat(knee.found()).isFalse();
        assertThat(knee.describe()).contains("every C up to 64");
    }

    @Test
    void thePoolModelsPutThe70bKneeAtTheDecodeBatchSlotsAndScaleWithDecodeWorkers() {
        CapacityPrediction p1p2d = CapacityPrediction.of(FleetSpec.preset("1p2d-70b"), 128, 128, 0.5);
        CapacityPrediction p1p5d = CapacityPrediction.of(FleetSpec.preset("1p5d-70b"), 128, 128, 0.5);

        assertThat(p1p2d.bottleneck()).isEqualTo("decode");
        // two decode workers of 256 sequences each, plus the few requests in prefill and handoff
        assertThat(p1p2d.kneeConcurrency()).isBetween(2.0 * p1p2d.decodeBatchCap(), 2.4 * p1p2d.decodeBatchCap());
        assertThat(p1p5d.decodeRate()).isCloseTo(2.5 * p1p2d.decodeRate(), within(1e-6 * p1p5d.decodeRate()));
        assertThat(p1p5d.maxRate()).isLessThanOrEqualTo(p1p5d.prefillRate());
    }

    @Test
    void gridAroundACentreIsRoundedAndHasNoRepeats() {
        assertThat(KneeSearch.around(578)).containsExactly(289, 434, 578, 723, 867);
        assertThat(KneeSearch.around(1)).containsExactly(1, 2);
    }
}
