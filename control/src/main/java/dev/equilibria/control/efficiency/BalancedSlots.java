package dev.equilibria.control.efficiency;

/**
 * Every worker gets an equal share of the window, {@code ceil(n / m) + slack} slots: the default, since the
 * paper's workers in a pool are identical and a window is short next to a worker's batch capacity, so the binding
 * limit on a worker is its share of the arrivals, not {@code max_num_seqs}.
 *
 * @param slack extra slots per worker; 0 forces the optimum to spread the window evenly, larger values let it
 *              follow cache affinity further
 */
public record BalancedSlots(int slack) implements SlotPolicy {

    public static final String NAME = "balanced";
    public static final int DEFAULT_SLACK = 0;

    public BalancedSlots {
        if (slack < 0) {
            throw new IllegalArgumentException("slot slack must not be negative, got " + slack);
        }
    }

    public static BalancedSlots defaults() {
        return new BalancedSlots(DEFAULT_SLACK);
    }

    @Override
    public int slots(String workerId, int requests, int workers) {
        return (requests + workers - 1) / workers + slack;
    }
}
