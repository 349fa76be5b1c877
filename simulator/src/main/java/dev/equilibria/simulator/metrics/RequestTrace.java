package dev.equilibria.simulator.metrics;

/**
 * What happened to one simulated request, in virtual nanoseconds.
 *
 * @param prefillQueueNanos time the request waited for a prefill batch slot: from the first step boundary after it
 *                          reached the prefill worker (the end of the step running then) to entering a batch
 * @param decodeQueueNanos  the same on the decode worker (KV transfer excluded)
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
