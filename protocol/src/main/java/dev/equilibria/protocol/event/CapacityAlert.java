package dev.equilibria.protocol.event;

/**
 * The monitor's word to the allocator: a pool is saturated because it lacks capacity, not because of routing
 * (every worker at its cap, load balanced), so routing changes cannot help and GPUs should move.
 *
 * @param pool          {@code prefill} or {@code decode}
 * @param state         {@code raised} or {@code cleared}
 * @param utilisation   the pool's utilisation score when the alert was decided
 * @param imbalance     max/mean load across the pool's workers
 */
public record CapacityAlert(int version, long timestampMs, String pool, String state, int workers, int workersAtCap,
                            double utilisation, double imbalance, String reason) implements VersionedEvent {

    public CapacityAlert(long timestampMs, String pool, String state, int workers, int workersAtCap,
                         double utilisation, double imbalance, String reason) {
        this(CURRENT_VERSION, timestampMs, pool, state, workers, workersAtCap, utilisation, imbalance, reason);
    }
}
