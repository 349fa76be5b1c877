package dev.equilibria.routing.policy;

/**
 * Dynamo's KV-aware cost: {@code c_j = overlap_score_weight * prefill_blocks_j + decode_blocks_j}, where
 * {@code prefill_blocks_j} is the request's blocks not cached on worker {@code j} plus {@code j}'s queued prefill
 * blocks, and {@code decode_blocks_j} the blocks decoding on {@code j}. At {@code router_temperature} 0 the lowest
 * cost wins (ties at random); above 0 the worker is sampled from a softmax over the costs normalised by their range,
 * {@code p_j ∝ exp(-norm_j / t)}, which spreads load at the price of cache hits.
 */
public final class KvSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "kv";

    /**
     * @param overlapScoreWeight {@code w}: how much a block of prefill costs against a block of decode
     * @param routerTemperature  {@code t}: 0 is deterministic, larger is more random
     */
    public record Params(double overlapScoreWeight, double routerTemperature) {

        public static final double DEFAULT_OVERLAP_SCORE_WEIGHT = 1.0;
        public static final double DEFAULT_ROUTER_TEMPERATURE = 0.0;

        public static Params from(PolicySettings settings) {
            return new Params(
                    settings.overlapScoreWeight() == null ? DEFAULT_OVERLAP_SCORE_WEIGHT
                            : settings.overlapScoreWeight(),
                    settings.routerTemperature() == null ? DEFAULT_ROUTER_TEMPERATURE : settings.routerTemperature());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        Params params = Params.from(context.settings());
        double[] costs = new double[context.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = cost(context.candidate(i), params.overlapScoreWeight());
        }
        int chosen = params.routerTemperature() == 0 ? Picks.lowest(costs, context.random())
                : Picks.sample(Picks.softmax(costs, params.routerTemperature()), context.random());
        return new Selection(chosen, costs);
    }

    /** {@code w * prefill_blocks_j + decode_blocks_j}. */
    public static double cost(Candidate candidate, double overlapScoreWeight) {
        return overlapScoreWeight * candidate.prefillBlocks() + candidate.decodeBlocks();
    }
}
