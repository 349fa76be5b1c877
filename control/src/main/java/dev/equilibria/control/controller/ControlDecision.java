package dev.equilibria.control.controller;

import dev.equilibria.control.regime.Regime;
import dev.equilibria.control.regime.RegimeReading;
import dev.equilibria.protocol.event.RouterConfigOverride;
import java.util.List;
import java.util.Optional;

/**
 * What the controller makes of one poll; the service publishes the override on {@code router-config} and the
 * alerts to the allocator.
 *
 * @param reading    the detector's reading, for the dashboard
 * @param regime     the regime routing follows: the forced one while an operator forces one, else the detected one
 * @param override   new router settings, when they change
 * @param transition the history entry this poll added, if any
 * @param alerts     capacity alerts raised, repeated or cleared
 */
public record ControlDecision(RegimeReading reading, Regime regime, Optional<RouterConfigOverride> override,
                              Optional<RegimeTransition> transition, List<CapacityAlert> alerts) {

    public ControlDecision {
        alerts = List.copyOf(alerts);
    }
}
