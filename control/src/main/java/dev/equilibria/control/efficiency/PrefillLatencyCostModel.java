package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;

/**
 * A latency-shaped PoA-hat cost: the time the candidate would need to prefill everything it has queued plus this
 * request's uncached part, i.e. the request's predicted TTFT there, through the engine's prefill time.
 *
 * <p>Reads {@code prefill_blocks_j}, which by the decision log's contract already counts the queued blocks and this
 * request's uncached ones, so a cached prefix lowers the cost exactly as it lowers the real work. Unlike the kv
 * cost it is convex in queued work (attention and chunking), so a pile-up on one worker costs more than linearly.
 * Meaningful for prefill and aggregated legs; on the decode leg prefill blocks are usually zero.
 */
public record PrefillLatencyCostModel(PrefillTime prefillTime, int blockSize) implements CostModel {

    public static final String NAME = "prefill_latency";

    public PrefillLatencyCostModel {
        if (prefillTime == null) {
            throw new IllegalArgumentException("prefill time must be given");
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block_size must be positive");
        }
    }

    @Override
    public double cost(RoutingDecision decision, CandidateCost candidate) {
        long tokens = Math.round(Math.max(0, candidate.prefillBlocks()) * blockSize);
        return prefillTime.millis(tokens, 0);
    }
}
