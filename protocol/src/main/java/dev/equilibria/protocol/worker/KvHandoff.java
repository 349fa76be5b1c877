package dev.equilibria.protocol.worker;

import java.util.List;

/**
 * The KV cache a prefill worker hands to a decode worker.
 *
 * @param sourceWorker prefill worker holding the blocks until the decode worker has them
 * @param tokens       tokens whose KV is handed over
 * @param bytes        KV bytes to transfer; the transfer takes bytes / link bandwidth
 */
public record KvHandoff(String sourceWorker, int tokens, List<Long> blockHashes, long bytes) {
}
