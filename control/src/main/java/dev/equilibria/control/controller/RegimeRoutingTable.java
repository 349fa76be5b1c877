package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Regime;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which router settings each regime gets: cache affinity below the knee, load balancing past it. The controller
 * applies the TRANSITION and SATURATED rows only when routing is to blame, which means the routers act on a stale or
 * partial view of load (polled metrics, replicas that see their own traffic or their peers' late). So the balancing
 * rows must not read that view: {@code round_robin} ignores it. Measured in the simulator (aggregated 4 x 16-slot
 * workers, metrics polled every 5 s, C = 32-80): round robin brings TTFT P99 back to the in-flight-ledger baseline,
 * while {@code kv} with {@code overlap_score_weight=0.1, router_temperature=0.8} (the paper's setting) and
 * {@code power_of_two} still herd on the stale view (TTFT P99 1-3 s against 0.02-0.03 s). The paper's kv settings
 * remain as {@link #PAPER_TRANSITION} and {@link #PAPER_SATURATED} for a table that wants them.
 *
 * <p>The balancing rows also set {@code refuse_when_full}: a worker whose batch slots are all taken refuses a leg,
 * and the gateway places it on another. Round robin alone spreads load evenly on average, but exactly at the knee
 * (every slot taken) a request it sends to a full worker waits there a whole generation while another worker has
 * the slot just freed; the refusal finds that slot. Measured on the same workers at C = 64, seeds 1-3: TTFT P99 with
 * round robin alone 0.015-0.17 s against a ledger baseline of 0.008-0.015 s, with the refusal 0.008-0.02 s. Below
 * the knee the flag goes off again, as Dynamo runs.
 *
 * <table>
 *   <tr><th>regime</th><th>policy</th><th>overlap_score_weight</th><th>router_temperature</th>
 *   <th>refuse_when_full</th></tr>
 *   <tr><td>BELOW</td><td>kv</td><td>1.0</td><td>0.0</td><td>false</td></tr>
 *   <tr><td>TRANSITION</td><td>round_robin</td><td>(kept)</td><td>(kept)</td><td>true</td></tr>
 *   <tr><td>SATURATED</td><td>round_robin</td><td>(kept)</td><td>(kept)</td><td>true</td></tr>
 * </table>
 */
public record RegimeRoutingTable(Map<Regime, RoutingAction> actions) {

    /** Cache affinity: the cheapest worker by the kv cost, cached prefixes weigh fully. */
    public static final RoutingAction DEFAULT_BELOW = RoutingAction.kv(1.0, 0.0).withRefuseWhenFull(false);
    /** Load balancing that reads no load view, so a stale one cannot make it herd; full workers refuse legs. */
    public static final RoutingAction DEFAULT_TRANSITION = RoutingAction.policy("round_robin")
            .withRefuseWhenFull(true);
    /** As {@link #DEFAULT_TRANSITION}: past the knee the imbalance, not the cache, is what routing can fix. */
    public static final RoutingAction DEFAULT_SATURATED = RoutingAction.policy("round_robin")
            .withRefuseWhenFull(true);
    /** The paper's half-way setting: a cached prefix counts for less and ties spread. */
    public static final RoutingAction PAPER_TRANSITION = RoutingAction.kv(0.5, 0.4);
    /** The paper's load-balancing end point: prefill cost nearly ignored, sampling spreads the herd. */
    public static final RoutingAction PAPER_SATURATED = RoutingAction.kv(0.1, 0.8);
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
