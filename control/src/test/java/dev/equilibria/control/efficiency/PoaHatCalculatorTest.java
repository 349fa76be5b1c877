package dev.equilibria.control.efficiency;

import static dev.equilibria.control.efficiency.Decisions.candidate;
import static dev.equilibria.control.efficiency.Decisions.costs;
import static dev.equilibria.control.efficiency.Decisions.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.efficiency.assignment.HungarianAssignmentSolver;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoaHatCalculatorTest {

    private static final double NO = Double.NaN;

    private final PoaHatCalculator calculator = PoaHatCalculator.defaults();

    @Test
    void aRouterThatCrossesTheOptimumPaysForIt() {
        // Optimum: r0 -> w0 (1), r1 -> w1 (2) = 3. The router did the opposite: 4 + 3 = 7.
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 1, 1, 4),
                costs("r1", 10, 0, 3, 2)));

        assertThat(window.actualCost()).isEqualTo(7);
        assertThat(window.optimalCost()).isEqualTo(3);
        assertThat(window.ratio()).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(window.requests()).isEqualTo(2);
        assertThat(window.workers()).isEqualTo(2);
        assertThat(window.startMs()).isZero();
        assertThat(window.endMs()).isEqualTo(10);
        assertThat(window.settings()).isEqualTo(Decisions.AFFINITY);
        assertThat(window.capacityRelaxed()).isFalse();
    }

    @Test
    void anOptimalRouterScoresOne() {
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, 4),
                costs("r1", 1, 1, 3, 2)));

        assertThat(window.ratio()).isEqualTo(1.0);
    }

    @Test
    void slotsForceTheOptimumToSpreadSoAGreedyHerdCanScoreBelowOne() {
        // Both requests are cheapest on w0; a t = 0 router herds them there, the balanced optimum may not.
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, 5),
                costs("r1", 1, 0, 1, 5)));

        assertThat(window.actualCost()).isEqualTo(2);
        assertThat(window.optimalCost()).isEqualTo(6);
        assertThat(window.ratio()).isLessThan(1);
    }

    @Test
    void aFrozenPerWorkerCostDegeneratesToChosenLoadOverMeanLoad() {
        // Every request sees the same loads 10, 2, 6: the cost depends only on the worker. The ratio is then the
        // chosen worker's load over the mean load, whatever the requests are: the trap the README describes.
        List<RoutingDecision> window = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            window.add(costs("r" + i, i, 1, 10, 2, 6));
        }

        assertThat(calculator.compute(RoutingLeg.PREFILL, window).ratio()).isCloseTo(2.0 / 6.0, within(1e-12));
    }

    @Test
    void moreSlackLetsTheOptimumFollowAffinity() {
        PoaHatCalculator slack = new PoaHatCalculator(KvCostModel.decisionWeight(), new BalancedSlots(1),
                new HungarianAssignmentSolver());

        PoaHatWindow window = slack.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, 5),
                costs("r1", 1, 0, 1, 5)));

        assertThat(window.ratio()).isEqualTo(1.0);
    }

    @Test
    void aWorkerMissingFromACandidateListIsForbiddenForThatRequest() {
        // r0 may only go to w1, so the optimum puts r1 on w0: 3 + 1 = 4.
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 1, NO, 3),
                costs("r1", 1, 1, 1, 2)));

        assertThat(window.optimalCost()).isEqualTo(4);
        assertThat(window.actualCost()).isEqualTo(5);
        assertThat(window.capacityRelaxed()).isFalse();
    }

    @Test
    void candidateRestrictionsThatOverflowTheSlotsRelaxTheCapacity() {
        // Three requests can only use w0, but balanced slots give w0 two of the four.
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, NO),
                costs("r1", 1, 0, 2, NO),
                costs("r2", 2, 0, 3, NO),
                costs("r3", 3, 1, 4, 1)));

        assertThat(window.capacityRelaxed()).isTrue();
        assertThat(window.optimalCost()).isEqualTo(1 + 2 + 3 + 1);
        assertThat(window.ratio()).isEqualTo(1.0);
    }

    @Test
    void declaredSlotsFollowDeclaredCapacity() {
        PoaHatCalculator declared = new PoaHatCalculator(KvCostModel.decisionWeight(),
                new DeclaredSlots(Map.of("w0", 3, "w1", 1), 0), new HungarianAssignmentSolver());
        List<RoutingDecision> window = List.of(
                costs("r0", 0, 0, 1, 5),
                costs("r1", 1, 0, 1, 5),
                costs("r2", 2, 0, 1, 5),
                costs("r3", 3, 1, 1, 5));

        assertThat(declared.compute(RoutingLeg.PREFILL, window).optimalCost()).isEqualTo(8);
        assertThat(calculator.compute(RoutingLeg.PREFILL, window).optimalCost()).isEqualTo(12);
    }

    @Test
    void declaredSlotsTooSmallForTheWindowAreToppedUp() {
        PoaHatCalculator declared = new PoaHatCalculator(KvCostModel.decisionWeight(),
                new DeclaredSlots(Map.of(), 0), new HungarianAssignmentSolver());

        PoaHatWindow window = declared.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, 5),
                costs("r1", 1, 1, 1, 5)));

        assertThat(window.optimalCost()).isEqualTo(6);
        assertThat(window.capacityRelaxed()).isFalse();
    }

    @Test
    void decisionsWhoseChosenWorkerIsNotACandidateAreExcluded() {
        PoaHatWindow window = calculator.compute(RoutingLeg.PREFILL, List.of(
                costs("r0", 0, 0, 1, 4),
                decision("r1", 1, "elsewhere", candidate("w0", 1, 0)),
                decision("r2", 2, null, candidate("w0", 1, 0)),
                decision("r3", 3, "w0")));

        assertThat(window.requests()).isEqualTo(1);
        assertThat(window.excluded()).isEqualTo(3);
        assertThat(window.ratio()).isEqualTo(1.0);
    }

    @Test
    void anIdleFleetScoresOneAndAnEmptyWindowHasNoRatio() {
        assertThat(calculator.compute(RoutingLeg.PREFILL, List.of(costs("r0", 0, 0, 0, 0))).ratio()).isEqualTo(1.0);
        assertThat(calculator.compute(RoutingLeg.PREFILL, List.of()).ratio()).isNaN();
        assertThat(PoaHatWindow.ratio(2, 0)).isNaN();
    }

    @Test
    void theKvCostUsesTheDecisionsWeightUnlessFixed() {
        RouterSettings balancing = Decisions.BALANCING;
        RoutingDecision d = decision("r0", 0, balancing, "w0", candidate("w0", 10, 3));

        assertThat(KvCostModel.decisionWeight().cost(d, d.candidates().get(0))).isCloseTo(0.1 * 10 + 3, within(1e-12));
        assertThat(KvCostModel.fixedWeight(1.0).cost(d, d.candidates().get(0))).isEqualTo(13);
        assertThat(new RecordedCostModel().cost(d, d.candidates().get(0))).isEqualTo(13);
    }

    @Test
    void theLatencyCostGrowsWithQueuedPrefill() {
        PrefillTime linear = (tokens, cached) -> tokens == 0 ? 0 : 5 + 0.01 * tokens;
        CostModel latency = new PrefillLatencyCostModel(linear, 64);
        RoutingDecision d = decision("r0", 0, "w0", candidate("w0", 10, 0), candidate("w1", 0, 50));

        assertThat(latency.cost(d, d.candidates().get(0))).isCloseTo(5 + 6.4, within(1e-9));
        assertThat(latency.cost(d, d.candidates().get(1))).isZero();
    }
}
