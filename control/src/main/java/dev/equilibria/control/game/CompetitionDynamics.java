package dev.equilibria.control.game;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unregulated competition: each pool, caring only for its own SLO, asks a cluster scheduler for workers; nobody
 * weighs one pool's gain against the other's loss.
 *
 * <ul>
 *   <li>Mechanism: claims (c_P, c_D), each in [1, G]. If c_P + c_D <= G both are granted in full (the rest stays
 *       idle); otherwise the scheduler rations proportionally, G_P = round(G * c_P / (c_P + c_D)) clamped to
 *       [1, G - 1], G_D = G - G_P.</li>
 *   <li>Best response: the smallest claim whose grant brings the pool within {@code satiation} of the best
 *       utility it can get against the other's claim. A pool does not claim workers it cannot use, but it claims
 *       any that still lower its own latency.</li>
 *   <li>Dynamics: the pools move in turn, prefill first, from the given start (default: one worker each) until a
 *       round changes nothing (fixed point) or a state repeats (cycle).</li>
 * </ul>
 *
 * Under light load both pools satiate and the dynamics stop at what each needs, possibly leaving workers idle.
 * Under load that keeps both pools hungry, claims escalate to the whole budget and proportional rationing imposes a
 * near-even split whatever the pools' relative needs: the fixed split of the paper's experiments, and the source of
 * the price of anarchy. There the rounding of the rule rewards outbidding by one, so the dynamics usually cycle
 * among neighbouring splits; the outcome's cost is then the average over the cycle.
 */
public final class CompetitionDynamics {

    /** Utility (SLO-normalised latency) a pool gives up rather than claim more: 1 % of its SLO. */
    public static final double DEFAULT_SATIATION = 0.01;

    /** @param satiation utility within which a pool's best response counts as good enough, >= 0 */
    public record Params(double satiation) {

        public static final Params DEFAULTS = new Params(DEFAULT_SATIATION);

        public Params {
            if (!(satiation >= 0) || Double.isInfinite(satiation)) {
                throw new IllegalArgumentException("competition.satiation must be finite and >= 0, was "
                        + satiation);
            }
        }
    }

    private record State(Claims claims, Pool mover) {
    }

    private final Params params;

    public CompetitionDynamics() {
        this(Params.DEFAULTS);
    }

    public CompetitionDynamics(Params params) {
        this.params = params;
    }

    public CompetitionOutcome play(PoolGame game) {
        return play(game, new Claims(1, 1));
    }

    public CompetitionOutcome play(PoolGame game, Claims start) {
        int budget = game.budget();
        Claims claims = new Claims(clamp(start.prefill(), budget), clamp(start.decode(), budget));
        List<Claims> trajectory = new ArrayList<>(List.of(claims));
        Map<State, Integer> seen = new HashMap<>();
        Pool mover = Pool.PREFILL;
        int unchangedMoves = 0;
        while (true) {
            State state = new State(claims, mover);
            Integer firstSeen = seen.putIfAbsent(state, trajectory.size() - 1);
            if (firstSeen != null) {
                return cycle(game, trajectory, firstSeen);
            }
            Claims next = claims.with(mover, bestResponse(game, mover, claims.of(mover.other())));
            trajectory.add(next);
            unchangedMoves = next.equals(claims) ? unchangedMoves + 1 : 0;
            claims = next;
            if (unchangedMoves >= 2) {
                Split split = grant(claims, budget);
                SplitOutcome o = game.evaluate(split);
                return new CompetitionOutcome(CompetitionOutcome.Kind.FIXED_POINT, trajectory, List.of(split), split,
                        o.socialCost(), o.goodput());
            }
            mover = mover.other();
        }
    }

    /** What the scheduler grants for these claims. */
    public static Split grant(Claims claims, int budget) {
        int p = claims.prefill();
        int d = claims.decode();
        if (p + d <= budget) {
            return new Split(p, d);
        }
        int granted = (int) Math.round(budget * (double) p / (p + d));
        granted = Math.max(1, Math.min(budget - 1, granted));
        return new Split(granted, budget - granted);
    }

    private int bestResponse(PoolGame game, Pool pool, int otherClaim) {
        int budget = game.budget();
        double[] utility = new double[budget + 1];
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 1; c <= budget; c++) {
            Claims claims = pool == Pool.PREFILL ? new Claims(c, otherClaim) : new Claims(otherClaim, c);
            utility[c] = -game.cost(pool, grant(claims, budget).workers(pool));
            best = Math.max(best, utility[c]);
        }
        for (int c = 1; c <= budget; c++) {
            if (utility[c] >= best - params.satiation()) {
                return c;
            }
        }
        return budget;
    }

    private static CompetitionOutcome cycle(PoolGame game, List<Claims> trajectory, int from) {
        int budget = game.budget();
        List<Split> loop = new ArrayList<>();
        double cost = 0;
        double goodput = 0;
        // the state at index 'from' recurs at the end; the loop is the moves in between
        for (int i = from; i < trajectory.size() - 1; i++) {
            Split s = grant(trajectory.get(i), budget);
            loop.add(s);
            SplitOutcome o = game.evaluate(s);
            cost += o.socialCost();
            goodput += o.goodput();
        }
        Split last = grant(trajectory.get(trajectory.size() - 1), budget);
        return new CompetitionOutcome(CompetitionOutcome.Kind.CYCLE, trajectory, loop, last, cost / loop.size(),
                goodput / loop.size());
    }

    private static int clamp(int claim, int budget) {
        return Math.max(1, Math.min(budget, claim));
    }
}
