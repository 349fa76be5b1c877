package dev.equilibria.routing.policy;

/**
 * Picks the candidate with the least outstanding work, {@code load_j = queued_prefill_blocks_j + decode_blocks_j}
 * from the router's ledger (so it reacts to its own dispatches at once, not to scraped metrics); ties broken at
 * random. Ignores the cache. Reads no parameters; the cost is the load.
 */
public final class LeastLoadedSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "least_loaded";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        double[] loads = loads(context);
        return new Selection(Picks.lowest(loads, context.random()), loads);
    }

    static double[] loads(SelectionContext context) {
        double[] loads = new double[context.size()];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = context.candidate(i).load();
        }
        return loads;
    }
}
