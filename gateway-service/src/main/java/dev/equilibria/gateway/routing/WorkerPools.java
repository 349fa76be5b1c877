package dev.equilibria.gateway.routing;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The workers that may take a leg now: the registry's available ones minus those drained through the admin API and
 * those whose circuit breaker is open.
 */
@Component
public class WorkerPools {

    private final WorkerRegistry registry;
    private final DrainedWorkers drained;
    private final WorkerCircuitBreakers breakers;

    public WorkerPools(WorkerRegistry registry, DrainedWorkers drained, WorkerCircuitBreakers breakers) {
        this.registry = registry;
        this.drained = drained;
        this.breakers = breakers;
    }

    /** Ordered by worker id. */
    public List<LiveWorker> pool(WorkerRole leg, String model) {
        return pool(leg, model, Set.of());
    }

    /** The pool without the workers already tried for this leg. */
    public List<LiveWorker> pool(WorkerRole leg, String model, Set<String> excluded) {
        return registry.available(leg, model).stream()
                .filter(w -> !drained.contains(w.workerId()) && !excluded.contains(w.workerId())
                        && breakers.admits(w.workerId()))
                .toList();
    }
}
