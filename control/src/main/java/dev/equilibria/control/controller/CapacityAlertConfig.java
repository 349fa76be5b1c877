package dev.equilibria.control.controller;

/**
 * When saturation counts as a capacity problem.
 *
 * @param atCapShare       share of a pool's workers at their cap ({@code capacity_at_cap_share}); 1 is every worker
 * @param maxImbalance     highest max/mean worker load that still counts as balanced ({@code capacity_max_imbalance})
 * @param confirmPolls     consecutive polls to raise or clear an alert ({@code capacity_confirm_polls})
 * @param repeatMillis     how often a raised alert is repeated while it lasts ({@code capacity_repeat_ms})
 */
public record CapacityAlertConfig(double atCapShare, double maxImbalance, int confirmPolls, long repeatMillis) {

    public static final double DEFAULT_AT_CAP_SHARE = 1.0;
    public static final double DEFAULT_MAX_IMBALANCE = 1.25;
    public static final int DEFAULT_CONFIRM_POLLS = 3;
    public static final long DEFAULT_REPEAT_MILLIS = 30_000;

    public CapacityAlertConfig {
        if (!(atCapShare > 0 && atCapShare <= 1)) {
            throw new IllegalArgumentException("capacity_at_cap_share must be in (0, 1], got " + atCapShare);
        }
        if (!(maxImbalance >= 1) || Double.isInfinite(maxImbalance)) {
            throw new IllegalArgumentException("capacity_max_imbalance must be finite and at least 1, got "
                    + maxImbalance);
        }
        if (confirmPolls < 1) {
            throw new IllegalArgumentException("capacity_confirm_polls must be at least 1, got " + confirmPolls);
        }
        if (repeatMillis <= 0) {
            throw new IllegalArgumentException("capacity_repeat_ms must be positive, got " + repeatMillis);
        }
    }

    public static CapacityAlertConfig defaults() {
        return new CapacityAlertConfig(DEFAULT_AT_CAP_SHARE, DEFAULT_MAX_IMBALANCE, DEFAULT_CONFIRM_POLLS,
                DEFAULT_REPEAT_MILLIS);
    }
}
