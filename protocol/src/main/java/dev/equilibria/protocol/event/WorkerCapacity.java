package dev.equilibria.protocol.event;

/** Static limits of one worker, announced in its heartbeat. */
public record WorkerCapacity(int maxNumSeqs, int maxNumBatchedTokens, int kvBlocks, int blockSize) {
}
