package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Regime;
import java.util.Set;

/**
 * The controller's state for the admin API and the dashboard.
 *
 * @param regime                the regime routing follows
 * @param detected              the detector's regime
 * @param forced                the regime an operator forces, or null
 * @param applied               the routing last published (or assumed at start)
 * @param capacityBoundPools    pools with a raised capacity alert
 * @param routingBound          whether routing was found to blame (uneven load) since the fleet last left BELOW, so
 *                              that the table's balancing settings apply
 */
public record ControllerStatus(Regime regime, Regime detected, Regime forced, RoutingAction applied,
                               Set<String> capacityBoundPools, boolean routingBound) {

    public ControllerStatus {
        capacityBoundPools = Set.copyOf(capacityBoundPools);
    }
}
