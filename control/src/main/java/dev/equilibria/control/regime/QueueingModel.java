package dev.equilibria.control.regime;

/**
 * How much a single-server queue inflates the P99 response time at utilisation {@code u}, relative to its P99 at
 * zero load. Approximations for calibration, not predictions: a batching engine queues less than either.
 */
public enum QueueingModel {
    /**
     * M/M/1: response time is exponential with rate {@code mu - lambda}, so every percentile scales by
     * {@code 1 / (1 - u)}.
     */
    MM1 {
        @Override
        public double p99Inflation(double u) {
            check(u);
            return 1 / (1 - u);
        }
    },
    /**
     * M/D/1 with the heavy-traffic exponential tail for the wait, {@code P(W > x) ~ u * exp(-2 (1 - u) x / S)}:
     * {@code 1 + max(0, ln(100 u)) / (2 (1 - u))}. A deterministic service has a tight zero-load P99, so the
     * factors are larger than M/M/1's.
     */
    MD1 {
        @Override
        public double p99Inflation(double u) {
            check(u);
            return 1 + Math.max(0, Math.log(100 * u)) / (2 * (1 - u));
        }
    };

    /** @param u utilisation in [0, 1) */
    public abstract double p99Inflation(double u);

    static void check(double u) {
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("utilisation must be in [0, 1), got " + u);
        }
    }
}
