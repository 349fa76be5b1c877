package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;

/**
 * The cost the router itself logged for each candidate. Equal to {@link KvCostModel} for the {@code kv} policy;
 * for other policies it measures them against their own objective, which is rarely what one wants to compare.
 */
public final class RecordedCostModel implements CostModel {

    public static final String NAME = "recorded";

    @Override
    public double cost(RoutingDecision decision, CandidateCost candidate) {
        return candidate.cost();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
