package dev.equilibria.protocol.event;

/**
 * One candidate worker as the router saw it when deciding.
 *
 * @param overlapBlocks  blocks of the prompt already cached on the worker
 * @param prefillBlocks  blocks the worker would still have to prefill (its queued ones included)
 * @param decodeBlocks   blocks held by sequences decoding on the worker
 * @param cost           the policy's cost; lower is better
 */
public record CandidateCost(String workerId, int overlapBlocks, double prefillBlocks, double decodeBlocks,
                            double cost) {
}
