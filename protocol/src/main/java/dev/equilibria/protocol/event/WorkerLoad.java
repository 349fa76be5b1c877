package dev.equilibria.protocol.event;

import dev.equilibria.protocol.WorkerRole;

/**
 * A worker's load at one instant.
 *
 * @param waitingPrefillTokens uncached prompt tokens queued or being prefilled
 * @param prefixCacheHitRate   cached prompt tokens over all prompt tokens since the worker started
 */
public record WorkerLoad(int version, String workerId, WorkerRole role, long timestampMs, int runningRequests,
                         int waitingRequests, int kvBlocksUsed, int kvBlocksTotal, long waitingPrefillTokens,
                         double prefixCacheHitRate) implements VersionedEvent {

    public WorkerLoad(String workerId, WorkerRole role, long timestampMs, int runningRequests, int waitingRequests,
                      int kvBlocksUsed, int kvBlocksTotal, long waitingPrefillTokens, double prefixCacheHitRate) {
        this(CURRENT_VERSION, workerId, role, timestampMs, runningRequests, waitingRequests, kvBlocksUsed,
                kvBlocksTotal, waitingPrefillTokens, prefixCacheHitRate);
    }
}
