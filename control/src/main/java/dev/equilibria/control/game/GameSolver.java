package dev.equilibria.control.game;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.PoolModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds the game for a workload and budget and computes equilibrium, optimum, competition and their ratios. */
public final class GameSolver {

    private final PoolModel prefill;
    private final PoolModel decode;
    private final Slo slo;
    private final EquilibriumSolver equilibrium = new EquilibriumSolver();
    private final SocialOptimumSolver optimum = new SocialOptimumSolver();
    private final CompetitionDynamics competition;

    public GameSolver(PoolModel prefill, PoolModel decode, Slo slo) {
        this(prefill, decode, slo, new CompetitionDynamics());
    }

    public GameSolver(PoolModel prefill, PoolModel decode, Slo slo, CompetitionDynamics competition) {
        this.prefill = Objects.requireNonNull(prefill, "prefill");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.slo = Objects.requireNonNull(slo, "slo");
        this.competition = Objects.requireNonNull(competition, "competition");
    }

    public PoolGame game(Workload workload, int budget) {
        return new PoolGame(prefill, decode, slo, workload, budget);
    }

    public GameResult solve(Workload workload, int budget) {
        return solve(game(workload, budget));
    }

    public GameResult solve(PoolGame game) {
        VariationalEquilibrium ve = equilibrium.solve(game);
        SplitOutcome veOutcome = game.evaluate(ve.split());
        SplitOutcome best = optimum.solve(game);
        CompetitionOutcome race = competition.play(game);
        List<SplitOutcome> splits = new ArrayList<>();
        for (int g = 1; g < game.budget(); g++) {
            splits.add(game.evaluate(new Split(g, game.budget() - g)));
        }
        return new GameResult(game.workload(), game.budget(), game.slo(), ve, veOutcome, best, race,
                PriceOfAnarchy.ratio(veOutcome.socialCost(), best.socialCost()),
                PriceOfAnarchy.ratio(race.socialCost(), best.socialCost()), splits);
    }
}
