package dev.equilibria.engine.scheduler;

/** Cumulative counters of one worker's scheduler, read by metrics. */
public final class SchedulerStats {

    long steps;
    long busyNanos;
    long promptTokens;
    long cachedPromptTokens;
    long promptTokensComputed;
    long generatedTokens;
    long finished;
    long cancelled;
    long preemptions;
    long handoffBytes;
    long expiredHandoffs;

    public long steps() {
        return steps;
    }

    public long busyNanos() {
        return busyNanos;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long cachedPromptTokens() {
        return cachedPromptTokens;
    }

    public long promptTokensComputed() {
        return promptTokensComputed;
    }

    public long generatedTokens() {
        return generatedTokens;
    }

    public long finished() {
        return finished;
    }

    public long cancelled() {
        return cancelled;
    }

    public long preemptions() {
        return preemptions;
    }

    public long handoffBytes() {
        return handoffBytes;
    }

    /** Handoff holds dropped because no decode worker confirmed in time. */
    public long expiredHandoffs() {
        return expiredHandoffs;
    }

    /** Cached prompt tokens over all prompt tokens admitted; 0 before the first request. */
    public double prefixCacheHitRate() {
        return promptTokens == 0 ? 0 : (double) cachedPromptTokens / promptTokens;
    }
}
