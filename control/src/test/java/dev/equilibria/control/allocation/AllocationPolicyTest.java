package dev.equilibria.control.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.game.Split;
import dev.equilibria.control.pool.AnalyticPool;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prefill workers serve 10 req/s, decode workers 40 req/s, 60 req/s arrive, 16 workers: the optimum (and
 * equilibrium) is 12P/4D.
 */
class AllocationPolicyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final GameSolver SOLVER = new GameSolver(new AnalyticPool(0, 10), new AnalyticPool(0, 40),
            new Slo(0.05, 0.05));
    private static final PoolGame GAME = SOLVER.game(AnalyticPool.rate(60), 16);
    private static final GameResult RESULT = SOLVER.solve(GAME);

    private static AllocationParams params(Duration dwell, int maxStep, double headroom, boolean advisory) {
        return new AllocationParams(Objective.OPTIMUM, AllocationParams.DEFAULT_HYSTERESIS, dwell, maxStep, headroom,
                advisory);
    }

    private static DecisionInput at(Instant now, Split current) {
        return new DecisionInput(now, current, GAME, RESULT);
    }

    @Test
    void theGameAgreesWithTheScenario() {
        assertThat(RESULT.optimum().split()).isEqualTo(new Split(12, 4));
        assertThat(RESULT.equilibrium().split()).isEqualTo(new Split(12, 4));
    }

    @Test
    void keepsTheTarget() {
        AllocationDecision d = new AllocationPolicy(AllocationParams.DEFAULTS).decide(at(T0, new Split(12, 4)));
        assertThat(d.action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(d.applied()).isFalse();
        assertThat(d.next()).isEqualTo(new Split(12, 4));
        assertThat(d.reasons()).anyMatch(r -> r.contains("already at target"));
    }

    @ParameterizedTest(name = "from {0}P/{1}D with max_step {2} to {3}P/{4}D")
    @CsvSource({
            "8, 8, 1, 9, 7",
            "8, 8, 3, 11, 5",
            "8, 8, 8, 12, 4",
            "14, 2, 1, 13, 3",
            // three workers are free: prefill grows without decode shrinking
            "8, 4, 1, 9, 4",
            "6, 4, 2, 8, 4"})
    void movesAtMostMaxStepTowardTheTargetWithinTheBudget(int p, int d, int maxStep, int nextP, int nextD) {
        AllocationPolicy policy = new AllocationPolicy(params(Duration.ZERO, maxStep, 1.0, false));
        AllocationDecision decision = policy.decide(at(T0, new Split(p, d)));
        assertThat(decision.action()).isEqualTo(AllocationDecision.Action.CHANGE);
        assertThat(decision.applied()).isTrue();
        assertThat(decision.next()).isEqualTo(new Split(nextP, nextD));
        assertThat(decision.next().total()).isLessThanOrEqualTo(16);
        assertThat(policy.lastChange()).isEqualTo(T0);
    }

    @Test
    void hysteresisIgnoresASmallPredictedGain() {
        // 11P/5D costs 0.543, 12P/4D 0.533: under 2 % better, both meet the SLOs
        AllocationDecision d = new AllocationPolicy(AllocationParams.DEFAULTS).decide(at(T0, new Split(11, 5)));
        assertThat(d.action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(d.costGain()).isBetween(0.0, 0.05);
        assertThat(d.reasons()).anyMatch(r -> r.contains("hysteresis"));
    }

    @Test
    void waitsOutTheDwellTimeBetweenChanges() {
        AllocationPolicy policy = new AllocationPolicy(params(Duration.ofMinutes(5), 1, 1.0, false));
        AllocationDecision first = policy.decide(at(T0, new Split(8, 8)));
        assertThat(first.applied()).isTrue();

        AllocationDecision soon = policy.decide(at(T0.plusSeconds(60), first.effective()));
        assertThat(soon.action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(soon.reasons()).anyMatch(r -> r.contains("dwell") && r.contains("240 s"));

        AllocationDecision later = policy.decide(at(T0.plusSeconds(300), first.effective()));
        assertThat(later.applied()).isTrue();
        assertThat(later.next()).isEqualTo(new Split(10, 6));
    }

    @Test
    void advisoryModeRecordsTheChangeWithoutApplyingIt() {
        AllocationPolicy policy = new AllocationPolicy(params(Duration.ofMinutes(5), 1, 1.0, true));
        AllocationDecision d = policy.decide(at(T0, new Split(8, 8)));
        assertThat(d.action()).isEqualTo(AllocationDecision.Action.CHANGE);
        assertThat(d.applied()).isFalse();
        assertThat(d.next()).isEqualTo(new Split(9, 7));
        assertThat(d.effective()).isEqualTo(new Split(8, 8));
        assertThat(policy.lastChange()).isNull();
        assertThat(d.reasons()).anyMatch(r -> r.contains("advisory"));

        Allocation event = d.toEvent(Map.of("p-0", 1.0));
        assertThat(event.prefillWorkers()).isEqualTo(8);
        assertThat(event.reason()).startsWith("advisory: ");
        // nothing applied, so no dwell: the next evaluation advises again
        assertThat(policy.decide(at(T0.plusSeconds(1), new Split(8, 8))).action())
                .isEqualTo(AllocationDecision.Action.CHANGE);
    }

    @Test
    void consolidationBlocksAShrinkTheRemainingWorkersCouldNotAbsorb() {
        // decode at 7 workers would run at 60 / 280 = 0.21, above 1 / 5 = 0.2
        AllocationDecision d = new AllocationPolicy(params(Duration.ZERO, 1, 5.0, false))
                .decide(at(T0, new Split(8, 8)));
        assertThat(d.action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(d.next()).isEqualTo(new Split(8, 8));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("consolidation") && r.contains("0.21"));
    }

    @Test
    void consolidationBlocksAShrinkWhenTheKvInUseWouldNotFit() {
        List<WorkerLoad> loads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            loads.add(new WorkerLoad("d-" + i, WorkerRole.DECODE, 0, 100, 0, 900, 1000, 0, 0.5));
            loads.add(new WorkerLoad("p-" + i, WorkerRole.PREFILL, 0, 1, 0, 990, 1000, 0, 0.5));
        }
        AllocationPolicy policy = new AllocationPolicy(params(Duration.ZERO, 1, 1.25, false));
        AllocationDecision d = policy.decide(new DecisionInput(T0, new Split(8, 8), GAME, RESULT, loads));
        // 7200 blocks in use, 7 workers hold 7000
        assertThat(d.action()).isEqualTo(AllocationDecision.Action.KEEP);
        assertThat(d.reasons()).anyMatch(r -> r.contains("7200 KV blocks"));
    }

    @Test
    void aSplitOverTheBudgetShrinksAtOnceWhateverTheDwell() {
        AllocationPolicy policy = new AllocationPolicy(params(Duration.ofHours(1), 1, 1.25, false), T0);
        AllocationDecision d = policy.decide(at(T0.plusSeconds(1), new Split(12, 8)));
        assertThat(d.applied()).isTrue();
        assertThat(d.next()).isEqualTo(new Split(12, 4));
    }

    @Test
    void anEmptyPoolGetsTheTargetAtOnce() {
        AllocationDecision d = new AllocationPolicy(AllocationParams.DEFAULTS).decide(at(T0, new Split(0, 0)));
        assertThat(d.applied()).isTrue();
        assertThat(d.next()).isEqualTo(new Split(12, 4));
    }

    @Test
    void theEquilibriumObjectiveSteersToTheEquilibrium() {
        AllocationParams eq = new AllocationParams(Objective.EQUILIBRIUM, 0.05, Duration.ZERO, 16, 1.0, false);
        assertThat(new AllocationPolicy(eq).decide(at(T0, new Split(4, 12))).target())
                .isEqualTo(RESULT.equilibrium().split());
        assertThat(Objective.fromConfigName("equilibrium")).isEqualTo(Objective.EQUILIBRIUM);
    }

    @Test
    void theBudgetIsNeverExceededWhateverTheStartingSplit() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int budget = 2 + random.nextInt(30);
            double rate = random.nextDouble() * 15 * budget;
            PoolGame game = SOLVER.game(AnalyticPool.rate(rate), budget);
            GameResult result = SOLVER.solve(game);
            Split current = new Split(random.nextInt(budget + 3), random.nextInt(budget + 3));
            AllocationPolicy policy = new AllocationPolicy(params(Duration.ZERO, 1 + random.nextInt(4), 1.25, false));
            AllocationDecision d = policy.decide(new DecisionInput(T0, current, game, result));
            Split next = d.effective();
            if (d.applied()) {
                assertThat(next.total()).as("%s from %s", d, current).isLessThanOrEqualTo(budget);
                assertThat(next.prefillWorkers()).isPositive();
                assertThat(next.decodeWorkers()).isPositive();
            } else {
                assertThat(next).isEqualTo(current);
                assertThat(current.total()).isLessThanOrEqualTo(budget);
            }
        }
    }
}
