package dev.equilibria.control.efficiency;

import static dev.equilibria.control.efficiency.Decisions.candidate;
import static dev.equilibria.control.efficiency.Decisions.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadImbalanceTest {

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("even", List.of(candidate("a", 4, 4), candidate("b", 2, 6)), 1.0),
                Arguments.of("all on one of two", List.of(candidate("a", 10, 0), candidate("b", 0, 0)), 2.0),
                Arguments.of("three workers", List.of(candidate("a", 6, 0), candidate("b", 2, 1), candidate("c", 0, 3)),
                        6.0 / 4.0),
                Arguments.of("idle pool is balanced", List.of(candidate("a", 0, 0), candidate("b", 0, 0)), 1.0),
                Arguments.of("single candidate", List.of(candidate("a", 7, 3)), 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void maxOverMeanAtDecisionTime(String name, List<CandidateCost> candidates, double expected) {
        RoutingDecision d = decision("r", 0, "a", candidates.toArray(CandidateCost[]::new));

        assertThat(LoadImbalance.ofDecision(d, CandidateLoad.TOTAL_BLOCKS)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aDecisionWithoutCandidatesIsNotCounted() {
        assertThat(LoadImbalance.ofDecision(decision("r", 0, "a"), CandidateLoad.TOTAL_BLOCKS)).isNaN();
        assertThat(LoadImbalance.of(List.of(decision("r", 0, "a")), CandidateLoad.TOTAL_BLOCKS))
                .isEqualTo(LoadImbalance.EMPTY);
    }

    @Test
    void existingBlocksLeaveOutTheRequestsOwnUncachedPart() {
        // A 4-block request: fully cached on a (prefill 0 of its own), uncached on b (4 of its own, 0 queued).
        RoutingDecision d = decision("r", 0, "a",
                new CandidateCost("a", 4, 0, 0, 0),
                new CandidateCost("b", 0, 4, 0, 4));

        assertThat(LoadImbalance.ofDecision(d, CandidateLoad.TOTAL_BLOCKS)).isEqualTo(2.0);
        assertThat(LoadImbalance.ofDecision(d, CandidateLoad.EXISTING_BLOCKS)).isEqualTo(1.0);
    }

    @Test
    void averagesOverDecisions() {
        LoadImbalance imbalance = LoadImbalance.of(List.of(
                decision("r0", 0, "a", candidate("a", 1, 0), candidate("b", 1, 0)),
                decision("r1", 1, "a", candidate("a", 3, 0), candidate("b", 0, 0))), CandidateLoad.TOTAL_BLOCKS);

        assertThat(imbalance.decisions()).isEqualTo(2);
        assertThat(imbalance.mean()).isEqualTo(1.5);
        assertThat(imbalance.max()).isEqualTo(2.0);
        assertThat(imbalance.p90()).isEqualTo(2.0);
    }

    @Test
    void theTrackerKeepsLegsApartAndForgetsOldDecisions() {
        LoadImbalanceTracker tracker = new LoadImbalanceTracker(CandidateLoad.TOTAL_BLOCKS, new WindowLimits(10, 1_000));
        tracker.record(decision("r0", 0, "a", candidate("a", 3, 0), candidate("b", 0, 0)));
        tracker.record(decision("r1", 800, "a", candidate("a", 1, 0), candidate("b", 1, 0)));

        assertThat(tracker.snapshot(RoutingLeg.PREFILL, 900).mean()).isEqualTo(1.5);
        assertThat(tracker.snapshot(RoutingLeg.PREFILL, 1_500).mean()).isEqualTo(1.0);
        assertThat(tracker.snapshot(RoutingLeg.DECODE, 900)).isEqualTo(LoadImbalance.EMPTY);
    }
}
