package dev.equilibria.routing.orchestration;

import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.routing.policy.Candidate;
import dev.equilibria.routing.registry.LiveWorker;

/**
 * One placed leg: the chosen worker as the policy saw it, the decision for the log, and how long the router's
 * phases took.
 *
 * @param hashNanos   time spent hashing the prompt's blocks for this leg (only as far as the lookup read them)
 * @param lookupNanos time spent asking the KV index and the ledger, hashing excluded
 * @param selectNanos time spent in the policy
 */
public record RoutedLeg(Candidate chosen, RoutingDecision decision, long hashNanos, long lookupNanos,
                        long selectNanos) {

    public LiveWorker worker() {
        return chosen.worker();
    }

    public String workerId() {
        return chosen.workerId();
    }

    public int blockSize() {
        return chosen.worker().capacity().blockSize();
    }

    /** Prompt tokens cached on the chosen worker. */
    public int cachedTokens(int promptTokens) {
        return Math.min(promptTokens, chosen.overlapBlocks() * blockSize());
    }
}
