package dev.equilibria.fleet.bench;

import java.util.Arrays;

/**
 * One finished request, as recorded by the client. Times are nanoseconds since the run's start.
 *
 * @param id                    the workload's request id
 * @param client                closed-loop client, -1 in an open loop
 * @param scheduledNanos        open loop: when it was due; closed loop: when it was sent
 * @param startNanos            when it was sent
 * @param endNanos              when its stream (or error) ended
 * @param promptTokens          prompt length sent
 * @param maxTokens             {@code max_tokens} asked for
 * @param status                HTTP status, 0 when none came
 * @param outcome               success, explicit error or lost
 * @param errorKind             empty on success; else for example {@code http_429:queue_full},
 *                              {@code stream:worker_error}, {@code connect_refused}, {@code truncated}, {@code timeout}
 * @param errorMessage          the server's or the client's message, empty on success
 * @param tokenTimesNanos       arrival time of every chunk that carried a token (the first is the TTFT's end)
 * @param usageCompletionTokens {@code usage.completion_tokens} of the final chunk, -1 when none came
 * @param retryAfter            the {@code Retry-After} header of an error answer, empty when none
 */
public record RequestResult(String id, int client, long scheduledNanos, long startNanos, long endNanos,
                            int promptTokens, int maxTokens, int status, Outcome outcome, String errorKind,
                            String errorMessage, long[] tokenTimesNanos, int usageCompletionTokens, String retryAfter) {

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }

    /** Token chunks received (one per generated token in the gateway's streams). */
    public int chunkTokens() {
        return tokenTimesNanos.length;
    }

    /** Time to first token in ms; NaN when no token came. */
    public double ttftMs() {
        return tokenTimesNanos.length == 0 ? Double.NaN : (tokenTimesNanos[0] - startNanos) / 1e6;
    }

    public double e2eMs() {
        return (endNanos - startNanos) / 1e6;
    }

    /** Every gap between consecutive token chunks, in ms. */
    public double[] itlsMs() {
        double[] gaps = new double[Math.max(0, tokenTimesNanos.length - 1)];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = (tokenTimesNanos[i + 1] - tokenTimesNanos[i]) / 1e6;
        }
        return gaps;
    }

    /** The mean gap between tokens, in ms: (last token - first token) / (tokens - 1); NaN below two tokens. */
    public double meanItlMs() {
        int n = tokenTimesNanos.length;
        return n < 2 ? Double.NaN : (tokenTimesNanos[n - 1] - tokenTimesNanos[0]) / 1e6 / (n - 1);
    }

    /** Output tokens as the server counted them, else as chunks received. */
    public int outputTokens() {
        return usageCompletionTokens >= 0 ? usageCompletionTokens : chunkTokens();
    }

    /** The token chunks do not match {@code usage.completion_tokens} (a token was duplicated or lost on the way). */
    public boolean tokenCountMismatch() {
        return usageCompletionTokens >= 0 && usageCompletionTokens != chunkTokens();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestResult r && id.equals(r.id) && startNanos == r.startNanos
                && Arrays.equals(tokenTimesNanos, r.tokenTimesNanos) && outcome == r.outcome;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(startNanos);
    }

    @Override
    public String toString() {
        return "RequestResult[" + id + " " + outcome + (errorKind.isEmpty() ? "" : " " + errorKind) + ", status "
                + status + ", " + chunkTokens() + " chunks, usage " + usageCompletionTokens + "/" + maxTokens + "]";
    }
}
