package dev.equilibria.protocol.worker;

/**
 * Gateway to decode worker: continue a prefilled request.
 *
 * @param generatedTokenIds tokens already produced (at least the first one from prefill)
 * @param maxTokens         total tokens to produce, the already generated ones included
 * @param stopTokenIds      tokens that end generation early
 * @param refuseWhenFull    answer {@link WorkerPaths#FULL_STATUS} at once instead of queueing when no batch slot is
 *                          free; null (a sender that predates the field) means false
 */
public record DecodeRequest(String requestId, int[] promptTokenIds, int[] generatedTokenIds, int maxTokens,
                            int[] stopTokenIds, KvHandoff handoff, Boolean refuseWhenFull) {

    /** A leg that queues when the worker is full. */
    public DecodeRequest(String requestId, int[] promptTokenIds, int[] generatedTokenIds, int maxTokens,
                         int[] stopTokenIds, KvHandoff handoff) {
        this(requestId, promptTokenIds, generatedTokenIds, maxTokens, stopTokenIds, handoff, null);
    }

    public boolean refusesWhenFull() {
        return Boolean.TRUE.equals(refuseWhenFull);
    }

    /** The same leg, asking the worker to refuse it when full or not. */
    public DecodeRequest withRefuseWhenFull(boolean refuse) {
        return new DecodeRequest(requestId, promptTokenIds, generatedTokenIds, maxTokens, stopTokenIds, handoff,
                refuse);
    }
}
