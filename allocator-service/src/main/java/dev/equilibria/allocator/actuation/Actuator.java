package dev.equilibria.allocator.actuation;

import dev.equilibria.control.game.Split;
import java.time.Instant;
import java.util.Optional;

/**
 * Moves workers between the pools. One implementation per way of doing it, chosen by {@code actuator}:
 * {@code local} ({@link LocalActuator}: role commands over Kafka) or {@code kubernetes}
 * ({@link KubernetesActuator}: Deployment replicas). Called from the decision loop only.
 */
public interface Actuator {

    /** Config name. */
    String name();

    /**
     * Starts moving the fleet from {@code current} toward {@code next}. Never throws: a refusal (nothing to move,
     * an API error, an actuation still under way) comes back as {@link Actuation#started()} false with the reason.
     */
    Actuation apply(Split current, Split next, FleetState fleet, Instant now);

    /**
     * The actuation still under way, if any. Checks the fleet first: an actuation that shows in the heartbeats is
     * finished, one that did not within the actuation timeout is given up (and logged as an error).
     */
    Optional<String> pending(FleetState fleet, Instant now);

    /**
     * What an {@link #apply} call did.
     *
     * @param started     true when something was set in motion
     * @param description what, or why not, for the decision's reasons
     */
    record Actuation(boolean started, String description) {

        public static Actuation started(String description) {
            return new Actuation(true, description);
        }

        public static Actuation refused(String description) {
            return new Actuation(false, description);
        }
    }
}
