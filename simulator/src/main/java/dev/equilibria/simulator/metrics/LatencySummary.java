package dev.equilibria.simulator.metrics;

import java.util.List;

/**
 * Latency and throughput of a set of finished requests (seconds, requests/s, tokens/s).
 *
 * @param prefillQueueShare share of mean TTFT spent waiting for a prefill batch slot
 * @param decodeQueueSeconds mean wait for admission on the decode worker
 * @param prefillQueueSeconds mean wait for a prefill batch slot
 */
public record LatencySummary(int requests, double durationSeconds, double throughput, double outputTokensPerSecond,
                             double ttftP50, double ttftP90, double ttftP99, double itlMean, double itlP99,
                             double e2eP50, double e2eP99, double prefixHitRate, double prefillQueueShare,
                             double decodeQueueSeconds, double prefillQueueSeconds) {

    /**
     * Summarises the requests that arrived and finished within a window of {@code durationSeconds}; throughput counts
     * every request that finished in the window, whenever it arrived. Counting only those that also arrived in it
     * would miss the ones still in flight at the end, which past a knee (response times of seconds) reads a steady
     * throughput several percent low and the response time {@code C / throughput} as high.
     *
     * @param finished             requests that finished in the window
     * @param finishedOutputTokens their output tokens
     */
    public static LatencySummary of(List<RequestTrace> traces, int finished, long finishedOutputTokens,
                                    double durationSeconds) {
        Samples ttft = new Samples();
        Samples itl = new Samples();
        Samples e2e = new Samples();
        Samples prefillQueue = new Samples();
        Samples decodeQueue = new Samples();
        long prompt = 0;
        long cached = 0;
        for (RequestTrace t : traces) {
            ttft.add(t.ttftSeconds());
            itl.add(t.itlSeconds());
            e2e.add(t.e2eSeconds());
            prefillQueue.add(t.prefillQueueNanos() / 1e9);
            decodeQueue.add(t.decodeQueueNanos() / 1e9);
            prompt += t.promptTokens();
            cached += t.cachedTokens();
        }
        double meanTtft = ttft.mean();
        return new LatencySummary(traces.size(), durationSeconds, finished / durationSeconds,
                finishedOutputTokens / durationSeconds, ttft.percentile(50), ttft.percentile(90), ttft.percentile(99), itl.mean(),
                itl.percentile(99), e2e.percentile(50), e2e.percentile(99),
                prompt == 0 ? 0 : (double) cached / prompt,
                meanTtft > 0 ? prefillQueue.mean() / meanTtft : 0, decodeQueue.mean(),
                traces.isEmpty() ? 0 : prefillQueue.mean());
    }
}
