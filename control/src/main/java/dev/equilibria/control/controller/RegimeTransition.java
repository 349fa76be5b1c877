package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.Set;

/**
 * One entry of the controller's history: a regime change, a forced or released regime, or a routing change inside
 * SATURATED when it turns capacity-bound or stops being so ({@code from == to}).
 *
 * @param signals   what fired it
 * @param published the override sent to the gateways, or null when the routing stayed as it was
 */
public record RegimeTransition(long timestampMs, Regime from, Regime to, Set<Signal> signals, String reason,
                               RouterConfigOverride published) {

    public RegimeTransition {
        signals = Set.copyOf(signals);
    }
}
