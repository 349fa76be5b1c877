package dev.equilibria.protocol.event;

/**
 * Static limits of one worker, announced in its heartbeat.
 *
 * @param maxModelLen longest sequence (prompt plus output) the model accepts, in tokens
 */
public record WorkerCapacity(int maxNumSeqs, int maxNumBatchedTokens, int kvBlocks, int blockSize, int maxModelLen) {
}
