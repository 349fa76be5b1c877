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

    /** Summarises requests that finished within a window of {@code durationSeconds}. */
    public static LatencySummary of(List<RequestTrace> traces, double durationSeconds) {
        Samples ttft = new Samples();
        Samples itl = new Samples();
        Samples e2e = new Samples();
        Samples prefillQueue = new Samples();
        Samples decodeQueue = new Samples();
        long prompt = 0;
        long cached = 0;
        long output = 0;
        for (RequestTrace t : traces) {
            ttft.add(t.ttftSeconds());
            itl.add(t.itlSeconds());
            e2e.add(t.e2eSeconds());
            prefillQueue.add(t.prefillQueueNanos() / 1e9);
            decodeQueue.add(t.decodeQueueNanos() / 1e9);
            prompt += t.promptTokens();
            cached += t.cachedTokens();
            output += t.outputTokens();
        }
        double meanTtft = ttft.mean();
        return new LatencySummary(traces.size(), durationSeconds, traces.size() / durationSeconds,
                output / durationSeconds, ttft.percentile(50), ttft.percentile(90), ttft.percentile(99), itl.mean(),
                itl.percentile(99), e2e.percentile(50), e2e.percentile(99),
                prompt == 0 ? 0 : (double) cached / prompt,
                meanTtft > 0 ? prefillQueue.mean() / meanTtft : 0, decodeQueue.mean(),
                traces.isEmpty() ? 0 : prefillQueue.mean());
    }
}
