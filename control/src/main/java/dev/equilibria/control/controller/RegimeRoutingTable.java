package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Regime;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which router settings each regime gets. The defaults follow the paper: cache affinity below the knee, load
 * balancing past it.
 *
 * <table>
 *   <tr><th>regime</th><th>policy</th><th>overlap_score_weight</th><th>router_temperature</th></tr>
 *   <tr><td>BELOW</td><td>kv</td><td>1.0</td><td>0.0</td></tr>
 *   <tr><td>TRANSITION</td><td>kv</td><td>0.5</td><td>0.4</td></tr>
 *   <tr><td>SATURATED</td><td>kv</td><td>0.1</td><td>0.8</td></tr>
 * </table>
 */
public record RegimeRoutingTable(Map<Regime, RoutingAction> actions) {

    /** Cache affinity: the cheapest worker by the kv cost, cached prefixes weigh fully. */
    public static final RoutingAction DEFAULT_BELOW = RoutingAction.kv(1.0, 0.0);
    /** Half-way to load balancing: a cached prefix counts for less and ties spread. */
    public static final RoutingAction DEFAULT_TRANSITION = RoutingAction.kv(0.5, 0.4);
    /** The paper's load-balancing end point: prefill cost nearly ignored, sampling spreads the herd. */
    public static final RoutingAction DEFAULT_SATURATED = RoutingAction.kv(0.1, 0.8);
    /** The alternative for SATURATED when the gateway offers it. */
    public static final RoutingAction LEAST_LOADED = RoutingAction.policy("least_loaded");

    public RegimeRoutingTable {
        for (Regime regime : Regime.values()) {
            if (actions.get(regime) == null) {
                throw new IllegalArgumentException("routing table has no action for regime " + regime);
            }
        }
        actions = Map.copyOf(actions);
    }

    public static RegimeRoutingTable defaults() {
        Map<Regime, RoutingAction> actions = new EnumMap<>(Regime.class);
        actions.put(Regime.BELOW, DEFAULT_BELOW);
        actions.put(Regime.TRANSITION, DEFAULT_TRANSITION);
        actions.put(Regime.SATURATED, DEFAULT_SATURATED);
        return new RegimeRoutingTable(actions);
    }

    public RoutingAction actionFor(Regime regime) {
        return actions.get(regime);
    }

    public RegimeRoutingTable with(Regime regime, RoutingAction action) {
        Map<Regime, RoutingAction> copy = new EnumMap<>(actions);
        copy.put(regime, action);
        return new RegimeRoutingTable(copy);
    }
}
