package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.policy.WorkerSelector;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Places one leg of a request: the registry's candidates for the leg, narrowed to one by the routing policy. */
@Component
public class WorkerPicker {

    private final WorkerRegistry registry;
    private final WorkerSelector selector;

    public WorkerPicker(WorkerRegistry registry, WorkerSelector selector) {
        this.registry = registry;
        this.selector = selector;
    }

    /**
     * @param excluded worker ids already tried for this leg
     * @throws NoWorkerAvailableException when the leg's pool has no other worker for the request's model
     */
    public LiveWorker pick(WorkerRole leg, GenerationRequest request, Set<String> excluded) {
        return tryPick(leg, request, excluded).orElseThrow(() -> new NoWorkerAvailableException(leg, request.model()));
    }

    public Optional<LiveWorker> tryPick(WorkerRole leg, GenerationRequest request, Set<String> excluded) {
        var candidates = registry.available(leg, request.model()).stream()
                .filter(worker -> !excluded.contains(worker.workerId()))
                .toList();
        return selector.select(leg, request.routeRequest(), candidates);
    }
}
