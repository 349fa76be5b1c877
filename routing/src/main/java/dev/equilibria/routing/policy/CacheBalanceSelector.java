package dev.equilibria.routing.policy;

/**
 * SGLang's cache-aware policy over the router's ledger: follow the cache (the worker holding the longest prefix,
 * ties to the less loaded) while the pool is balanced, and switch to the least-loaded worker once the load spread
 * passes both thresholds, {@code max - min > balance_abs_threshold} and {@code max > balance_rel_threshold * min},
 * with {@code load_j = queued_prefill_blocks_j + decode_blocks_j}. A prompt whose best cached fraction is under
 * {@code cache_threshold} also goes to the least-loaded worker. Cost: the load when balancing, else the uncached
 * blocks.
 */
public final class CacheBalanceSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "cache_balance";

    /**
     * @param balanceAbsThreshold load spread, in blocks, that together with the relative one means imbalance
     * @param balanceRelThreshold ratio of highest to lowest load that together with the absolute one means imbalance
     * @param cacheThreshold      smallest cached fraction of the prompt worth following
     */
    public record Params(double balanceAbsThreshold, double balanceRelThreshold, double cacheThreshold) {

        /** 256 blocks: 16k tokens at block_size 64, a couple of long prompts' worth of work. */
        public static final double DEFAULT_BALANCE_ABS_THRESHOLD = 256;
        public static final double DEFAULT_BALANCE_REL_THRESHOLD = 1.5;
        public static final double DEFAULT_CACHE_THRESHOLD = 0.5;

        public static Params from(PolicySettings s) {
            return new Params(
                    s.balanceAbsThreshold() == null ? DEFAULT_BALANCE_ABS_THRESHOLD : s.balanceAbsThreshold(),
                    s.balanceRelThreshold() == null ? DEFAULT_BALANCE_REL_THRESHOLD : s.balanceRelThreshold(),
                    s.cacheThreshold() == null ? DEFAULT_CACHE_THRESHOLD : s.cacheThreshold());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        Params params = Params.from(context.settings());
        double[] loads = LeastLoadedSelector.loads(context);
        if (imbalanced(loads, params)) {
            return new Selection(Picks.lowest(loads, context.random()), loads);
        }
        double bestFraction = 0;
        for (int i = 0; i < context.size(); i++) {
            bestFraction = Math.max(bestFraction, context.candidate(i).overlapFraction());
        }
        if (bestFraction <= 0 || bestFraction < params.cacheThreshold()) {
            return new Selection(Picks.lowest(loads, context.random()), loads);
        }
        double[] uncached = new double[context.size()];
        // cache first; among equal overlap the less loaded, by a tie-break far below one block
        double maxLoad = 0;
        for (double load : loads) {
            maxLoad = Math.max(maxLoad, load);
        }
        double[] ranking = new double[context.size()];
        for (int i = 0; i < uncached.length; i++) {
            uncached[i] = context.candidate(i).newPrefillBlocks();
            ranking[i] = uncached[i] + (maxLoad > 0 ? 0.5 * loads[i] / maxLoad : 0);
        }
        return new Selection(Picks.lowest(ranking, context.random()), uncached);
    }

    static boolean imbalanced(double[] loads, Params params) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double load : loads) {
            min = Math.min(min, load);
            max = Math.max(max, load);
        }
        return max - min > params.balanceAbsThreshold() && max > params.balanceRelThreshold() * min;
    }
}
