package dev.equilibria.fleet.bench;

/**
 * One request to send: a workload's request as the generator sends it.
 *
 * @param id           the workload's id, also the CSV's
 * @param client       the closed-loop client that sends it, -1 in an open loop
 * @param arrivalNanos open loop: when to send it, from the run's start; closed loop: 0
 * @param promptTokens prompt token ids, sent as an array so equal prefixes hash to equal KV blocks
 * @param maxTokens    {@code max_tokens}
 */
public record BenchRequest(String id, int client, long arrivalNanos, int[] promptTokens, int maxTokens) {
}
