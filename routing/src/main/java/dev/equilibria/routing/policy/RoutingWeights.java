package dev.equilibria.routing.policy;

import dev.equilibria.protocol.event.Allocation;
import java.util.Map;

/** The allocator's latest per-worker routing weights, for the {@code weighted} policy. Thread-safe. */
public final class RoutingWeights {

    private volatile Map<String, Double> weights = Map.of();
    private volatile long timestampMs = -1;

    /** Takes the weights of an allocation newer than the one held; an older one is ignored. */
    public void onAllocation(Allocation allocation) {
        if (allocation.timestampMs() < timestampMs) {
            return;
        }
        weights = allocation.routingWeights() == null ? Map.of() : Map.copyOf(allocation.routingWeights());
        timestampMs = allocation.timestampMs();
    }

    public double weight(String workerId) {
        Double w = weights.get(workerId);
        return w == null ? WeightedSelector.DEFAULT_WEIGHT : w;
    }

    public Map<String, Double> all() {
        return weights;
    }
}
