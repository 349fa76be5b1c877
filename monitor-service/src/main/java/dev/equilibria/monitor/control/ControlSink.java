package dev.equilibria.monitor.control;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.protocol.event.CapacityAlert;
import dev.equilibria.protocol.event.RouterConfigOverride;

/** Where the controller's output goes: Kafka in the service, a list in tests. */
public interface ControlSink {

    /** New router settings for every gateway ({@code router-config}). */
    void override(RouterConfigOverride override);

    /** A capacity alert for the allocator ({@code capacity-alerts}). */
    void alert(CapacityAlert alert);

    /** A history entry was added (for metrics and logs); the default does nothing. */
    default void transition(RegimeTransition transition) {
    }
}
