package dev.equilibria.engine.scheduler;

/**
 * Work for one sequence.
 *
 * @param promptTokenIds       not copied; callers must not change it afterwards
 * @param generatedTokenIds    tokens already produced elsewhere (the first token, for a decode-only sequence)
 * @param maxTokens            output tokens in total, the already generated ones included
 * @param promptBlockHashes    the prompt's chained full-block hashes when the caller already has them (the router
 *                             hashed the prompt to place it), so the engine does not hash it again; null otherwise
 * @param promptHashBlockSize  the block size those hashes were computed at; the engine uses them only when it
 *                             matches its own and they cover every full block of the prompt
 */
public record SequenceRequest(String requestId, SequenceMode mode, int[] promptTokenIds, int[] generatedTokenIds,
                              int maxTokens, int[] stopTokenIds, long[] promptBlockHashes, int promptHashBlockSize) {

    public SequenceRequest(String requestId, SequenceMode mode, int[] promptTokenIds, int[] generatedTokenIds,
                           int maxTokens, int[] stopTokenIds) {
        this(requestId, mode, promptTokenIds, generatedTokenIds, maxTokens, stopTokenIds, null, 0);
    }

    public static SequenceRequest prefill(String requestId, int[] prompt) {
        return new SequenceRequest(requestId, SequenceMode.PREFILL_ONLY, prompt, new int[0], 1, new int[0]);
    }

    /** The same request carrying the prompt's block hashes at {@code blockSize} (not copied). */
    public SequenceRequest withPromptBlockHashes(int blockSize, long[] hashes) {
        return new SequenceRequest(requestId, mode, promptTokenIds, generatedTokenIds, maxTokens, stopTokenIds,
                hashes, blockSize);
    }

    /** The supplied prompt hashes if they fit an engine hashing at {@code blockSize}, else null. */
    long[] promptHashesFor(int blockSize) {
        return promptBlockHashes != null && promptHashBlockSize == blockSize
                && promptBlockHashes.length == promptTokenIds.length / blockSize ? promptBlockHashes : null;
    }
}
