package dev.equilibria.control.game;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.control.pool.PoolEstimate;
import dev.equilibria.control.pool.PoolModel;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The prefill/decode resource game at one workload: payoffs of each player as functions of its own pool size, and
 * the outcome of any split. A player's cost is its SLO-normalised latency, its utility the negative:
 *
 * <pre>
 * c_P(G_P) = TTFT(G_P) / SLO_TTFT        U_P = -c_P
 * c_D(G_D) = ITL(G_D)  / SLO_ITL         U_D = -c_D
 * </pre>
 *
 * Past the knee utilisation {@link #KNEE_UTILISATION} the latency curve is continued linearly in utilisation, with
 * slope {@link #OVERLOAD_SLOPE} added, instead of going to infinity. A saturated pool therefore still values every
 * worker it gets, and the game stays well posed in deep saturation, where moving GPUs is the only lever left.
 * Not thread-safe (caches payoffs); build one per workload.
 */
public final class PoolGame {

    /** Utilisation above which latency is extrapolated rather than taken from the queueing formula. */
    public static final double KNEE_UTILISATION = 0.95;
    /** Extra normalised latency per unit of utilisation beyond the knee, so an overloaded pool always misses. */
    public static final double OVERLOAD_SLOPE = 100;
    private static final double KNEE_DELTA = 1e-3;
    private static final double DERIVATIVE_STEP = 1e-3;

    private final PoolModel prefill;
    private final PoolModel decode;
    private final Slo slo;
    private final Workload workload;
    private final int budget;
    private final Map<Split, SplitOutcome> outcomes = new HashMap<>();
    private final double[][] costs;

    /**
     * @param budget workers (TP-sized GPU groups) the two pools share; at least one per pool
     */
    public PoolGame(PoolModel prefill, PoolModel decode, Slo slo, Workload workload, int budget) {
        this.prefill = Objects.requireNonNull(prefill, "prefill");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.slo = Objects.requireNonNull(slo, "slo");
        this.workload = Objects.requireNonNull(workload, "workload");
        if (budget < 2) {
            throw new IllegalArgumentException("budget must be at least 2 workers (one per pool), was " + budget);
        }
        this.budget = budget;
        this.costs = new double[2][];
    }

    public int budget() {
        return budget;
    }

    public Workload workload() {
        return workload;
    }

    public Slo slo() {
        return slo;
    }

    public PoolEstimate estimate(Pool pool, double workers) {
        return model(pool).estimate(workload, workers);
    }

    /**
     * The pool's SLO-normalised latency with {@code workers} workers, continued past the knee; infinite with no
     * workers, or when the pool cannot serve a request like the workload's at any size.
     */
    public double cost(Pool pool, double workers) {
        if (!(workers > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        PoolEstimate e = estimate(pool, workers);
        double rho = e.utilisation();
        double target = slo.target(pool);
        if (rho <= KNEE_UTILISATION && Double.isFinite(e.latencySeconds())) {
            return e.latencySeconds() / target;
        }
        if (!Double.isFinite(rho)) {
            return Double.POSITIVE_INFINITY;
        }
        // both models spread load evenly, so utilisation is proportional to 1 / workers (PoolModel's contract)
        double atKnee = latency(pool, workers * rho / KNEE_UTILISATION) / target;
        double belowKnee = latency(pool, workers * rho / (KNEE_UTILISATION - KNEE_DELTA)) / target;
        double slope = (atKnee - belowKnee) / KNEE_DELTA;
        return atKnee + (slope + OVERLOAD_SLOPE) * (rho - KNEE_UTILISATION);
    }

    public double utility(Pool pool, double workers) {
        return -cost(pool, workers);
    }

    /** dU/dG for the pool at {@code workers} (central difference; one-sided near zero). */
    public double marginalUtility(Pool pool, double workers) {
        double h = DERIVATIVE_STEP * Math.max(1, workers);
        double lo = Math.max(workers - h, workers / 2);
        return (utility(pool, workers + h) - utility(pool, lo)) / (workers + h - lo);
    }

    /** {@link #cost} at a whole number of workers, cached; 0 to budget. */
    public double cost(Pool pool, int workers) {
        double[] table = costs[pool.ordinal()];
        if (table == null) {
            table = new double[budget + 1];
            for (int g = 0; g <= budget; g++) {
                table[g] = cost(pool, (double) g);
            }
            costs[pool.ordinal()] = table;
        }
        return workers >= 0 && workers <= budget ? table[workers] : cost(pool, (double) workers);
    }

    /** Predicted outcome of a split (any split; the game's own solvers stay within the budget). */
    public SplitOutcome evaluate(Split split) {
        return outcomes.computeIfAbsent(split, s -> {
            PoolEstimate p = estimate(Pool.PREFILL, s.prefillWorkers());
            PoolEstimate d = estimate(Pool.DECODE, s.decodeWorkers());
            double attainment = s.prefillWorkers() > 0 && s.decodeWorkers() > 0
                    ? p.attainment(slo.ttftSeconds()) * d.attainment(slo.itlSeconds()) : 0;
            return new SplitOutcome(s, p, d, cost(Pool.PREFILL, s.prefillWorkers()),
                    cost(Pool.DECODE, s.decodeWorkers()), attainment, workload.arrivalRate() * attainment);
        });
    }

    private double latency(Pool pool, double workers) {
        return estimate(pool, workers).latencySeconds();
    }

    private PoolModel model(Pool pool) {
        return pool == Pool.PREFILL ? prefill : decode;
    }
}
