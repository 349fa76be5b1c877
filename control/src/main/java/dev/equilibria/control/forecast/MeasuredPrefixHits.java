package dev.equilibria.control.forecast;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The prefix-hit rate of finished requests over a sliding window (cached over prompt tokens, as the engines report
 * them), and the rule that it replaces the router's guess in the demand the pool models read. The router's guess is
 * the cached overlap its index saw at decision time; the engines know better (evictions between decision and
 * admission, blocks they recompute anyway), and the prefill model's capacity scales with the uncached tokens, so a
 * guess of "all cached" makes a busy prefill pool look idle. allocator-service (from the request records) and the
 * simulator's allocator loop (from finished requests) both apply it through this class.
 *
 * <p>Time is the caller's: record timestamps and {@code nowMs}. Not thread-safe.
 */
public final class MeasuredPrefixHits {

    private record Finished(long endMs, long promptTokens, long cachedTokens) {
    }

    private final long windowMs;
    private final int maxSamples;
    private final Deque<Finished> window = new ArrayDeque<>();
    private long promptSum;
    private long cachedSum;

    /** A window of {@link DemandEstimator#DEFAULT_WINDOW} holding at most {@link DemandEstimator#DEFAULT_MAX_SAMPLES}. */
    public MeasuredPrefixHits() {
        this(DemandEstimator.DEFAULT_WINDOW, DemandEstimator.DEFAULT_MAX_SAMPLES);
    }

    /**
     * @param window     how far back finished requests count (the demand window)
     * @param maxSamples requests kept; beyond this the oldest are dropped early
     */
    public MeasuredPrefixHits(Duration window, int maxSamples) {
        if (window == null || window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("max samples must be positive, was " + maxSamples);
        }
        this.windowMs = window.toMillis();
        this.maxSamples = maxSamples;
    }

    /** One finished request; cached tokens are capped at the prompt, negative counts read as zero. */
    public void record(long endMs, int promptTokens, int cachedTokens) {
        long prompt = Math.max(0, promptTokens);
        long cached = Math.min(prompt, Math.max(0, cachedTokens));
        window.addLast(new Finished(endMs, prompt, cached));
        promptSum += prompt;
        cachedSum += cached;
        if (window.size() > maxSamples) {
            drop();
        }
    }

    /** Cached over prompt tokens of the requests that finished within the window ending at {@code nowMs}; NaN if none. */
    public double hitRate(long nowMs) {
        long cutoff = nowMs - windowMs;
        while (!window.isEmpty() && window.peekFirst().endMs() <= cutoff) {
            drop();
        }
        return promptSum > 0 ? (double) cachedSum / promptSum : Double.NaN;
    }

    /** {@code workload} with the measured hit rate in place of the router's guess; unchanged when there is none (NaN). */
    public static Workload withMeasuredHitRate(Workload workload, double measuredHitRate) {
        if (Double.isNaN(measuredHitRate)) {
            return workload;
        }
        return new Workload(workload.arrivalRate(), workload.meanInputTokens(), workload.p90InputTokens(),
                workload.meanOutputTokens(), measuredHitRate);
    }

    /** The logged snapshot with the hit rate measured at its time in place of the router's guess, when there is one. */
    public DemandSnapshot correct(DemandSnapshot logged) {
        double hit = hitRate(logged.timestampMs());
        return Double.isNaN(hit) ? logged : new DemandSnapshot(logged.timestampMs(), logged.requests(),
                logged.completions(), withMeasuredHitRate(logged.workload(), hit));
    }

    private void drop() {
        Finished f = window.removeFirst();
        promptSum -= f.promptTokens();
        cachedSum -= f.cachedTokens();
    }
}
