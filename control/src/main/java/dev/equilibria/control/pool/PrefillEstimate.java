package dev.equilibria.control.pool;

/**
 * Predicted prefill pool state.
 *
 * @param ttftSeconds             time to first token: queueing wait plus the request's own prefill
 * @param serviceSeconds          the request's own prefill, in steps shared with other work
 * @param waitSeconds             mean queueing wait (M/D/1)
 * @param utilisation             offered uncached tokens over the pool's token capacity
 * @param workerTokensPerSecond   one worker's uncached-token throughput at a full batch
 */
public record PrefillEstimate(double ttftSeconds, double serviceSeconds, double waitSeconds, double utilisation,
                              double workerTokensPerSecond) implements PoolEstimate {

    @Override
    public double latencySeconds() {
        return ttftSeconds;
    }

    /**
     * P(TTFT <= target) with the usual M/G/1 tail approximation: a request waits with probability
     * {@code utilisation}, and a wait is exponential with mean {@code waitSeconds / utilisation}.
     */
    @Override
    public double attainment(double targetSeconds) {
        if (saturated() || targetSeconds < serviceSeconds) {
            return 0;
        }
        if (waitSeconds <= 0 || utilisation <= 0) {
            return 1;
        }
        double slack = targetSeconds - serviceSeconds;
        return 1 - utilisation * Math.exp(-slack * utilisation / waitSeconds);
    }
}
