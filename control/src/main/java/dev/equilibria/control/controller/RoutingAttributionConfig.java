package dev.equilibria.control.controller;

/**
 * When saturation counts as routing's fault, so that changing the router settings can help.
 *
 * @param minImbalance max over mean of running plus waiting requests per worker, from the workers' own reports, at or
 *                     above which a pool counts as unevenly loaded ({@code routing_min_imbalance})
 * @param confirmPolls {@code k}: routing is blamed when at least {@code k} of the last {@code 2k - 1} polls showed
 *                     uneven load ({@code routing_confirm_polls})
 */
public record RoutingAttributionConfig(double minImbalance, int confirmPolls) {

    /**
     * Well above what a router that sees every dispatch leaves behind near the knee (at most a request or two over
     * the mean, 1.1-1.2 on 16-slot workers), well below a herd (every new request on one worker: 2 and up).
     */
    public static final double DEFAULT_MIN_IMBALANCE = 1.5;
    public static final int DEFAULT_CONFIRM_POLLS = 3;

    public RoutingAttributionConfig {
        if (!(minImbalance > 1) || Double.isInfinite(minImbalance)) {
            throw new IllegalArgumentException("routing_min_imbalance must be finite and above 1, got " + minImbalance);
        }
        if (confirmPolls < 1) {
            throw new IllegalArgumentException("routing_confirm_polls must be at least 1, got " + confirmPolls);
        }
    }

    public static RoutingAttributionConfig defaults() {
        return new RoutingAttributionConfig(DEFAULT_MIN_IMBALANCE, DEFAULT_CONFIRM_POLLS);
    }
}
