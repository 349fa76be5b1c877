package dev.equilibria.routing.policy;

/**
 * Power of two choices: samples two distinct candidates at random and takes the one with less outstanding work
 * ({@code queued_prefill_blocks + decode_blocks}), the first sampled on a tie. Nearly as balanced as least-loaded
 * while never sending every replica's next request to the same worker. Reads no parameters; the cost is the load.
 */
public final class PowerOfTwoSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "power_of_two";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Selection select(SelectionContext context) {
        double[] loads = LeastLoadedSelector.loads(context);
        int n = context.size();
        if (n == 1) {
            return new Selection(0, loads);
        }
        int first = context.random().nextInt(n);
        int second = context.random().nextInt(n - 1);
        if (second >= first) {
            second++; // uniform over the other n-1 candidates
        }
        return new Selection(loads[second] < loads[first] ? second : first, loads);
    }
}
