package dev.equilibria.routing.policy;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.LiveWorker;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cycles through the candidates of each leg in turn, ignoring the request. Each leg keeps its own turn counter, so
 * prefill and decode pools are each balanced on their own. When the pool changes size the rotation shifts, which
 * is harmless for a policy with no memory of placement.
 */
public final class RoundRobinSelector implements WorkerSelector {

    /** Config name. */
    public static final String NAME = "round_robin";

    private final Map<WorkerRole, AtomicLong> turns = new EnumMap<>(WorkerRole.class);

    public RoundRobinSelector() {
        for (WorkerRole leg : WorkerRole.values()) {
            turns.put(leg, new AtomicLong());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<LiveWorker> select(WorkerRole leg, RouteRequest request, List<LiveWorker> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        long turn = turns.get(leg).getAndIncrement();
        return Optional.of(candidates.get((int) Math.floorMod(turn, (long) candidates.size())));
    }
}
