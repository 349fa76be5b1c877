package dev.equilibria.simulator.metrics;

/**
 * What happened to one simulated request, in virtual nanoseconds.
 *
 * @param prefillQueueNanos time between reaching the prefill worker and entering its batch
 * @param decodeQueueNanos  time between reaching the decode worker and entering its batch (KV transfer excluded)
 */
public record RequestTrace(String id, long arrivalNanos, long firstTokenNanos, long finishNanos, int promptTokens,
                           int cachedTokens, int outputTokens, String prefillWorker, String decodeWorker,
                           long prefillQueueNanos, long decodeQueueNanos) {

    public double ttftSeconds() {
        return (firstTokenNanos - arrivalNanos) / 1e9;
    }

    public double e2eSeconds() {
        return (finishNanos - arrivalNanos) / 1e9;
    }

    /** Mean time between output tokens after the first; NaN for a single-token output. */
    public double itlSeconds() {
        return outputTokens < 2 ? Double.NaN : (finishNanos - firstTokenNanos) / 1e9 / (outputTokens - 1);
    }
}
