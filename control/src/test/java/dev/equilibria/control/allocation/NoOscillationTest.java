package dev.equilibria.control.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.game.GameResult;
import dev.equilibria.control.game.GameSolver;
import dev.equilibria.control.game.PoolGame;
import dev.equilibria.control.game.Slo;
import dev.equilibria.control.game.Split;
import dev.equilibria.control.pool.Profiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A constant load seen through a noisy forecast must not make the allocator flap. */
class NoOscillationTest {

    private static final int DECISIONS = 200;
    private static final Duration PERIOD = Duration.ofSeconds(30);
    private final GameSolver solver = new GameSolver(Profiles.prefill(), Profiles.decode(), Slo.DEFAULTS);

    @ParameterizedTest(name = "{0} req/s, {1} noise, dwell {2} s, G={3}, from {4}")
    @CsvSource({
            "80, 0.05, 0, 16, optimum",
            "80, 0.10, 300, 16, optimum",
            "150, 0.05, 0, 16, optimum",
            "300, 0.05, 0, 32, optimum",
            "80, 0.05, 0, 16, one-off",
            "300, 0.10, 300, 32, one-off"})
    void changesTheSplitAtMostOnceOverManyDecisions(double rate, double noise, long dwellSeconds, int budget,
                                                     String start) {
        Workload truth = new Workload(rate, 2000, 4000, 300, 0.3);
        Split optimum = solver.solve(truth, budget).optimum().split();
        Split current = start.equals("optimum") ? optimum
                : new Split(optimum.prefillWorkers() - 1, optimum.decodeWorkers() + 1);
        AllocationPolicy policy = new AllocationPolicy(new AllocationParams(Objective.OPTIMUM,
                AllocationParams.DEFAULT_HYSTERESIS, Duration.ofSeconds(dwellSeconds), 1,
                AllocationParams.DEFAULT_HEADROOM, false));
        Random random = new Random(42);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        int changes = 0;
        for (int i = 0; i < DECISIONS; i++) {
            Workload seen = new Workload(
                    rate * Math.max(0, 1 + noise * random.nextGaussian()),
                    2000 * (1 + noise / 2 * random.nextGaussian()), 4000,
                    300 * (1 + noise / 2 * random.nextGaussian()),
                    Math.min(1, Math.max(0, 0.3 + noise / 2 * random.nextGaussian())));
            PoolGame game = solver.game(seen, budget);
            GameResult result = solver.solve(game);
            AllocationDecision d = policy.decide(new DecisionInput(now, current, game, result));
            if (d.applied()) {
                changes++;
                current = d.effective();
            }
            assertThat(current.total()).isLessThanOrEqualTo(budget);
            now = now.plus(PERIOD);
        }
        assertThat(changes).isLessThanOrEqualTo(1);
    }
}
