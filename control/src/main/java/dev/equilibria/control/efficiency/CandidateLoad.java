package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;

/** A candidate worker's load as the router saw it at a decision, for the load-imbalance index. */
@FunctionalInterface
public interface CandidateLoad {

    /** {@code prefill_blocks + decode_blocks}: the default, the load terms of the kv cost without {@code w}. */
    CandidateLoad TOTAL_BLOCKS = (decision, candidate) -> candidate.prefillBlocks() + candidate.decodeBlocks();

    /**
     * {@code TOTAL_BLOCKS} less this request's own uncached blocks on the candidate
     * ({@code request_blocks - overlap_blocks}), which the decision log counts into {@code prefill_blocks}. What
     * remains is the work already there, so a worker holding the request's prefix does not look less loaded.
     */
    CandidateLoad EXISTING_BLOCKS = (decision, candidate) -> {
        double own = Math.max(0, decision.requestBlocks() - candidate.overlapBlocks());
        return Math.max(0, candidate.prefillBlocks() - own) + candidate.decodeBlocks();
    };

    double load(RoutingDecision decision, CandidateCost candidate);
}
