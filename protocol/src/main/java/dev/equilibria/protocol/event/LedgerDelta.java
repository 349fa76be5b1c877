package dev.equilibria.protocol.event;

import java.util.List;

/**
 * One gateway replica's share of the in-flight load on each worker, published so that the other replicas route with
 * the whole fleet's load instead of only their own (which makes replicas herd onto the same worker). Shares are
 * absolute values, not increments, so a lost or repeated delta is repaired by the next one.
 *
 * @param gatewayId   the replica that owns these shares (the Kafka key)
 * @param epoch       when the replica started (ms); a newer epoch is a restarted replica whose {@code seq} starts over
 * @param seq         increases by one per delta of this replica within its epoch
 * @param timestampMs when the replica produced the delta (its wall clock); readers measure staleness from it
 * @param full        true when {@code workers} lists every worker the replica has load on, so readers replace their
 *                    copy of its shares; false when it lists only the workers whose share changed
 * @param workers     the replica's current share per listed worker; a share of zero means none left
 */
public record LedgerDelta(int version, String gatewayId, long epoch, long seq, long timestampMs, boolean full,
                          List<WorkerShare> workers) implements VersionedEvent {

    public LedgerDelta(String gatewayId, long epoch, long seq, long timestampMs, boolean full,
                       List<WorkerShare> workers) {
        this(CURRENT_VERSION, gatewayId, epoch, seq, timestampMs, full, List.copyOf(workers));
    }

    /**
     * One replica's in-flight load on one worker.
     *
     * @param prefillTokens uncached prompt tokens dispatched to the worker whose first token has not come back
     * @param decodeBlocks  KV blocks of sequences the replica has decoding on the worker
     * @param requests      legs the replica has in flight on the worker
     */
    public record WorkerShare(String workerId, long prefillTokens, long decodeBlocks, int requests) {
    }
}
