package dev.equilibria.engine.scheduler;

import dev.equilibria.engine.timing.BatchShape;
import java.util.List;

/**
 * The batch of one engine step, fixed when the step begins.
 *
 * @param durationNanos model time the step takes; the driver completes it that much later
 */
public record StepPlan(long startNanos, long durationNanos, BatchShape shape, List<ScheduledChunk> chunks) {

    /** One sequence's share of the step: {@code tokens} tokens of KV to compute. */
    public record ScheduledChunk(Sequence sequence, int tokens, boolean decode) {
    }

    public long endNanos() {
        return startNanos + durationNanos;
    }
}
