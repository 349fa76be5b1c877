package dev.equilibria.allocator.actuation;

import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fleet as the allocator sees it at one decision: live workers from heartbeats and their latest load reports.
 *
 * @param live  live workers, draining ones included, by id
 * @param loads fresh load reports, at most one per worker
 */
public record FleetState(List<LiveWorker> live, List<WorkerLoad> loads) {

    public FleetState {
        live = List.copyOf(live);
        loads = List.copyOf(loads);
    }

    /**
     * Workers per pool as their heartbeats announce them; a worker draining toward another role still counts in its
     * old pool, and aggregated workers count in neither.
     */
    public Split split() {
        return new Split(count(WorkerRole.PREFILL), count(WorkerRole.DECODE));
    }

    public int count(WorkerRole role) {
        return (int) live.stream().filter(w -> w.role() == role).count();
    }

    public List<LiveWorker> pool(Pool pool) {
        return live.stream().filter(w -> w.role() == pool.role()).toList();
    }

    public Optional<LiveWorker> worker(String workerId) {
        return live.stream().filter(w -> w.workerId().equals(workerId)).findFirst();
    }

    public Map<String, WorkerLoad> loadsById() {
        return loads.stream().collect(Collectors.toMap(WorkerLoad::workerId, Function.identity(),
                (a, b) -> a.timestampMs() >= b.timestampMs() ? a : b));
    }
}
