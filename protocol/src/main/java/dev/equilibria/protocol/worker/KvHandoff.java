package dev.equilibria.protocol.worker;

import java.util.List;

/**
 * The KV cache a prefill worker hands to a decode worker. The prefill worker pins the blocks until the decode worker
 * has pulled them and calls {@link WorkerPaths#HANDOFF} on {@code sourceEndpoint} to release them.
 *
 * @param sourceWorker   prefill worker holding the blocks until the decode worker has them
 * @param tokens         tokens whose KV is handed over
 * @param bytes          KV bytes to transfer; the transfer takes bytes / link bandwidth
 * @param sourceEndpoint base URL of the process hosting {@code sourceWorker}; null when no release is needed
 */
public record KvHandoff(String sourceWorker, int tokens, List<Long> blockHashes, long bytes, String sourceEndpoint) {

    public KvHandoff(String sourceWorker, int tokens, List<Long> blockHashes, long bytes) {
        this(sourceWorker, tokens, blockHashes, bytes, null);
    }
}
