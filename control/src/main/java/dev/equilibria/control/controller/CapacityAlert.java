package dev.equilibria.control.controller;

/**
 * The controller's message to the allocator: a pool is saturated because it lacks capacity, not because of routing,
 * so the fix is more workers (or moving GPUs between pools), not other router settings. Repeated while it lasts,
 * cleared once.
 *
 * @param workersAtCap workers with a full batch, queue or cache
 * @param utilisation  the pool's utilisation score
 * @param imbalance    max over mean of requests per worker; low means routing has already spread the load
 */
public record CapacityAlert(long timestampMs, String pool, Status status, int workers, int workersAtCap,
                            double utilisation, double imbalance, String reason) {

    public enum Status {
        RAISED, CLEARED
    }
}
