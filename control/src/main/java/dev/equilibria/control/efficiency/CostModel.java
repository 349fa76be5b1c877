package dev.equilibria.control.efficiency;

import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RoutingDecision;

/**
 * The modelled cost of serving one request on one candidate worker, from the terms the router recorded at that
 * request's decision time. PoA-hat applies it to every (request, candidate) pair of a window, so the cost is
 * "frozen": it ignores the load that the window's earlier requests add.
 */
@FunctionalInterface
public interface CostModel {

    /** Lower is better; must be finite. */
    double cost(RoutingDecision decision, CandidateCost candidate);
}
