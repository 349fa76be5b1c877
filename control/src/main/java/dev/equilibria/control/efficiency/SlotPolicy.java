package dev.equilibria.control.efficiency;

/**
 * How many requests of a window one worker may take in the optimal assignment. Each worker becomes that many
 * identical columns of the assignment matrix. With unlimited slots the frozen-cost optimum is every request at its
 * own cheapest worker, which a {@code t = 0} router already picks, so PoA-hat would be 1 by construction; slots are
 * what stand in for congestion in a frozen cost matrix.
 */
@FunctionalInterface
public interface SlotPolicy {

    /**
     * @param requests rows in the window
     * @param workers  distinct candidate workers in the window
     * @return slots of this worker, not negative. If all workers' slots do not add up to {@code requests}, the
     * calculator tops every worker up equally until they do.
     */
    int slots(String workerId, int requests, int workers);
}
