package dev.equilibria.protocol.event;

/**
 * The router settings a decision was made with. Names follow Dynamo's router.
 *
 * @param policy             selection policy name, for example {@code kv} or {@code round_robin}
 * @param overlapScoreWeight weight {@code w} of prefill blocks in {@code c_j = w * prefill_blocks_j + decode_blocks_j}
 * @param routerTemperature  softmax temperature {@code t}; 0 picks the lowest cost
 */
public record RouterSettings(String policy, double overlapScoreWeight, double routerTemperature) {
}
