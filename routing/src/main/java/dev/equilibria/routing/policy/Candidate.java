package dev.equilibria.routing.policy;

import dev.equilibria.routing.registry.LiveWorker;

/**
 * One worker as a policy sees it when placing a leg: its cached overlap with the request and its in-flight load,
 * all in the worker's KV blocks. Built by {@link dev.equilibria.routing.orchestration.LegRouter}.
 *
 * @param overlapBlocks       leading blocks of the prompt already cached on the worker
 * @param requestBlocks       blocks of the prompt, the partial last one counted as a fraction
 * @param queuedPrefillBlocks prefill work already waiting on the worker (ledger), in blocks
 * @param decodeBlocks        KV blocks of sequences decoding on the worker (ledger)
 * @param requests            legs in flight on the worker (ledger)
 * @param weight              the allocator's routing weight for the worker (1 when it gave none)
 */
public record Candidate(LiveWorker worker, int overlapBlocks, double requestBlocks, double queuedPrefillBlocks,
                        double decodeBlocks, int requests, double weight) {

    public String workerId() {
        return worker.workerId();
    }

    /** Blocks of this request the worker would still have to compute. */
    public double newPrefillBlocks() {
        return Math.max(0, requestBlocks - overlapBlocks);
    }

    /** Dynamo's {@code prefill_blocks_j}: this request's uncached blocks plus the worker's queued prefill blocks. */
    public double prefillBlocks() {
        return newPrefillBlocks() + queuedPrefillBlocks;
    }

    /** Outstanding work on the worker before this request: queued prefill plus decoding blocks. */
    public double load() {
        return queuedPrefillBlocks + decodeBlocks;
    }

    /** Fraction of the prompt's blocks cached on the worker. */
    public double overlapFraction() {
        return requestBlocks <= 0 ? 0 : Math.min(1, overlapBlocks / requestBlocks);
    }
}
