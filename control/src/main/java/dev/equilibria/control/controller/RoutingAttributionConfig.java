package dev.equilibria.control.controller;

/**
 * When saturation counts as routing's fault, so that changing the router settings can help.
 *
 * @param minImbalance     max over mean of running plus waiting requests per worker, from the workers' own reports,
 *                         at or above which a pool counts as unevenly loaded ({@code routing_min_imbalance})
 * @param confirmPolls     {@code k}: routing is blamed when at least {@code k} of the last {@code 2k - 1} polls
 *                         showed misrouted load ({@code routing_confirm_polls})
 * @param minStrandedShare requests waiting on full workers that other workers of the pool have free slots for (once
 *                         its waiting requests outnumber its free slots: queued beyond an even share of its backlog,
 *                         see {@link Backlog}), as a share of the pool's batch slots, at or above which the pool
 *                         counts as misrouted however even its max/mean ({@code routing_min_stranded_share}); in
 *                         (0, 1], 1 never
 */
public record RoutingAttributionConfig(double minImbalance, int confirmPolls, double minStrandedShare) {

    /**
     * Well above what a router that sees every dispatch leaves behind near the knee (at most a request or two over
     * the mean, 1.1-1.2 on 16-slot workers), well below a herd (every new request on one worker: 2 and up).
     */
    public static final double DEFAULT_MIN_IMBALANCE = 1.5;
    public static final int DEFAULT_CONFIRM_POLLS = 3;
    /**
     * On 2 x 256 slots two gateway replicas sharing ledgers 1 s late strand 10-90 requests (2-18 %) at a max/mean of
     * 1.07-1.42, while a router that sees every dispatch strands none on the 70B and 340B presets (simulator).
     */
    public static final double DEFAULT_MIN_STRANDED_SHARE = 0.02;

    public RoutingAttributionConfig {
        if (!(minImbalance > 1) || Double.isInfinite(minImbalance)) {
            throw new IllegalArgumentException("routing_min_imbalance must be finite and above 1, got " + minImbalance);
        }
        if (confirmPolls < 1) {
            throw new IllegalArgumentException("routing_confirm_polls must be at least 1, got " + confirmPolls);
        }
        if (!(minStrandedShare > 0 && minStrandedShare <= 1)) {
            throw new IllegalArgumentException("routing_min_stranded_share must be in (0, 1], got " + minStrandedShare);
        }
    }

    public static RoutingAttributionConfig defaults() {
        return new RoutingAttributionConfig(DEFAULT_MIN_IMBALANCE, DEFAULT_CONFIRM_POLLS, DEFAULT_MIN_STRANDED_SHARE);
    }
}
