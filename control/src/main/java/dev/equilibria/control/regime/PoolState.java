package dev.equilibria.control.regime;

import java.util.List;

/**
 * The workers of one pool (prefill, decode or aggregated) at a poll.
 *
 * @param pool the pool's name, for example the worker role's wire name
 */
public record PoolState(String pool, List<WorkerState> workers) {

    public PoolState {
        workers = List.copyOf(workers);
    }

    /**
     * The pool's utilisation score, {@code max(mean_queue / T_q, mean_kv / T_kv)}. Means over the pool, not the worst
     * worker, so that one herded worker reads as imbalance rather than as a full pool. 0 for an empty pool.
     */
    public double utilisation(UtilisationCaps caps) {
        if (workers.isEmpty()) {
            return 0;
        }
        double queue = workers.stream().mapToInt(WorkerState::waitingRequests).average().orElse(0);
        double kv = workers.stream().mapToDouble(WorkerState::kvUsage).average().orElse(0);
        return Math.max(queue / caps.queueCap(), kv / caps.kvCap());
    }

    /** Max over mean of running plus waiting requests per worker; 1 for an idle or empty pool. */
    public double imbalance() {
        double max = workers.stream().mapToInt(WorkerState::requests).max().orElse(0);
        double mean = workers.stream().mapToInt(WorkerState::requests).average().orElse(0);
        return mean > 0 ? max / mean : 1.0;
    }

    public long workersAtCap(UtilisationCaps caps) {
        return workers.stream().filter(w -> w.atCap(caps)).count();
    }
}
