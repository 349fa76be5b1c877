package dev.equilibria.engine.scheduler;

/**
 * Work for one sequence.
 *
 * @param generatedTokenIds tokens already produced elsewhere (the first token, for a decode-only sequence)
 * @param maxTokens         output tokens in total, the already generated ones included
 * @param transferBytes     KV bytes a decode-only sequence must receive before it can run; ignored otherwise
 */
public record SequenceRequest(String requestId, SequenceMode mode, int[] promptTokenIds, int[] generatedTokenIds,
                              int maxTokens, int[] stopTokenIds) {

    public static SequenceRequest prefill(String requestId, int[] prompt) {
        return new SequenceRequest(requestId, SequenceMode.PREFILL_ONLY, prompt, new int[0], 1, new int[0]);
    }
}
