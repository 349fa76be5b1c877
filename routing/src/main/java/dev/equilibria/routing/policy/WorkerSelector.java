package dev.equilibria.routing.policy;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.LiveWorker;
import java.util.List;
import java.util.Optional;

/**
 * A routing policy: picks the worker that runs one leg of a request. Implementations are thread-safe and registered
 * by their config name in {@link WorkerSelectors}.
 */
public interface WorkerSelector {

    /** The policy's config name, for example {@code round_robin}. */
    String name();

    /**
     * Picks one of {@code candidates}.
     *
     * @param leg        the leg being placed: {@link WorkerRole#PREFILL} or {@link WorkerRole#DECODE}
     * @param candidates workers able to take the leg now, in a stable order; may be empty
     * @return the chosen worker, or empty when there is no candidate
     */
    Optional<LiveWorker> select(WorkerRole leg, RouteRequest request, List<LiveWorker> candidates);
}
