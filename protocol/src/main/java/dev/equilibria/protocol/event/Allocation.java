package dev.equilibria.protocol.event;

import java.util.Map;

/**
 * The allocator's decision: how many workers each pool gets and how the gateway should weigh workers.
 *
 * @param routingWeights per worker id, relative weights for the {@code weighted} routing policy
 */
public record Allocation(int version, long timestampMs, int prefillWorkers, int decodeWorkers,
                         Map<String, Double> routingWeights, String reason) implements VersionedEvent {

    public Allocation(long timestampMs, int prefillWorkers, int decodeWorkers, Map<String, Double> routingWeights,
                      String reason) {
        this(CURRENT_VERSION, timestampMs, prefillWorkers, decodeWorkers, Map.copyOf(routingWeights), reason);
    }
}
