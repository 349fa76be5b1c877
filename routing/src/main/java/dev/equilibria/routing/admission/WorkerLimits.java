package dev.equilibria.routing.admission;

import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;

/**
 * When a worker counts as over its load threshold, from the router's ledger: at its in-flight leg limit, or with
 * more prefill queued than its limit. Unset limits (0) follow from the worker's announced capacity.
 *
 * @param maxInflightPerWorker        legs in flight per worker; 0 means the worker's {@code max_num_seqs}
 * @param maxQueuedPrefillTokensPerWorker uncached prompt tokens waiting per worker; 0 means
 *                                    {@value #PREFILL_QUEUE_STEPS} x its {@code max_num_batched_tokens}
 */
public record WorkerLimits(int maxInflightPerWorker, long maxQueuedPrefillTokensPerWorker) {

    /** Engine steps of prefill a worker may have queued before it counts as saturated. */
    public static final int PREFILL_QUEUE_STEPS = 32;
    /** Both limits derived from each worker's capacity. */
    public static final WorkerLimits DERIVED = new WorkerLimits(0, 0);

    public WorkerLimits {
        if (maxInflightPerWorker < 0 || maxQueuedPrefillTokensPerWorker < 0) {
            throw new IllegalArgumentException("worker limits must not be negative");
        }
    }

    public int inflightLimit(LiveWorker worker) {
        return maxInflightPerWorker > 0 ? maxInflightPerWorker : Math.max(1, worker.capacity().maxNumSeqs());
    }

    public long prefillLimit(LiveWorker worker) {
        return maxQueuedPrefillTokensPerWorker > 0 ? maxQueuedPrefillTokensPerWorker
                : (long) PREFILL_QUEUE_STEPS * Math.max(1, worker.capacity().maxNumBatchedTokens());
    }

    public boolean saturated(LiveWorker worker, WorkerLoad load) {
        return freeSlots(worker, load) == 0;
    }

    /** Legs the worker can still take before it is over its threshold. */
    public int freeSlots(LiveWorker worker, WorkerLoad load) {
        if (load.prefillTokens() >= prefillLimit(worker)) {
            return 0;
        }
        return Math.max(0, inflightLimit(worker) - load.requests());
    }
}
