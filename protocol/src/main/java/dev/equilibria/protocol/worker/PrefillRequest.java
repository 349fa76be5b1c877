package dev.equilibria.protocol.worker;

/**
 * Gateway to prefill worker: compute the KV cache of a prompt and the first output token.
 *
 * @param refuseWhenFull answer {@link WorkerPaths#FULL_STATUS} at once instead of queueing when no batch slot is free;
 *                       null (a sender that predates the field) means false
 */
public record PrefillRequest(String requestId, int[] promptTokenIds, int maxTokens, Boolean refuseWhenFull) {

    /** A leg that queues when the worker is full. */
    public PrefillRequest(String requestId, int[] promptTokenIds, int maxTokens) {
        this(requestId, promptTokenIds, maxTokens, null);
    }

    public boolean refusesWhenFull() {
        return Boolean.TRUE.equals(refuseWhenFull);
    }
}
