package dev.equilibria.simulator.workload;

/**
 * One request of a workload.
 *
 * @param arrivalNanos arrival time for open-loop workloads; ignored by closed-loop ones
 * @param promptTokens prompt token ids; equal prefixes hash to equal KV blocks
 * @param outputTokens tokens to generate ({@code max_tokens}; the simulated model never stops early)
 */
public record SimRequest(String id, long arrivalNanos, int[] promptTokens, int outputTokens) {
}
