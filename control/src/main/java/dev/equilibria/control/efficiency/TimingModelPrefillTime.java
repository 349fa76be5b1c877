package dev.equilibria.control.efficiency;

import dev.equilibria.engine.profile.EngineProfile;
import dev.equilibria.engine.timing.BatchShape;
import dev.equilibria.engine.timing.TimingModel;

/**
 * Prefill time from an engine timing model, chunked the way the scheduler chunks it: steps of at most
 * {@code max_num_batched_tokens} tokens, each attending over the tokens before it.
 *
 * <p>Used for queued work of several requests it treats them as one long sequence, which overstates the attention
 * part (a few percent for short prompts, where matmuls dominate).
 */
public record TimingModelPrefillTime(TimingModel timing, int maxNumBatchedTokens) implements PrefillTime {

    public TimingModelPrefillTime {
        if (timing == null) {
            throw new IllegalArgumentException("timing model must be given");
        }
        if (maxNumBatchedTokens <= 0) {
            throw new IllegalArgumentException("max_num_batched_tokens must be positive");
        }
    }

    /** The profile's roofline timing and its {@code max_num_batched_tokens}. */
    public static TimingModelPrefillTime of(EngineProfile profile) {
        return new TimingModelPrefillTime(profile.rooflineTiming(), profile.maxNumBatchedTokens());
    }

    @Override
    public double millis(long newTokens, long cachedTokens) {
        if (newTokens <= 0) {
            return 0;
        }
        long done = Math.max(0, cachedTokens);
        long left = newTokens;
        long nanos = 0;
        while (left > 0) {
            int chunk = (int) Math.min(left, maxNumBatchedTokens);
            double pairs = chunk * (done + chunk / 2.0);
            nanos += timing.stepNanos(new BatchShape(chunk, 1, 0, 0, pairs));
            done += chunk;
            left -= chunk;
        }
        return nanos / 1e6;
    }
}
