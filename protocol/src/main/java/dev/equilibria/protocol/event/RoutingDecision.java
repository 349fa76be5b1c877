package dev.equilibria.protocol.event;

import java.util.List;

/** One routing decision, logged for the monitor's PoA-hat and the allocator's demand estimate. */
public record RoutingDecision(int version, String requestId, String gatewayId, long timestampMs, RoutingLeg leg,
                              String chosenWorker, RouterSettings settings, int promptTokens, int requestBlocks,
                              int maxTokens, List<CandidateCost> candidates) implements VersionedEvent {

    public RoutingDecision(String requestId, String gatewayId, long timestampMs, RoutingLeg leg, String chosenWorker,
                           RouterSettings settings, int promptTokens, int requestBlocks, int maxTokens,
                           List<CandidateCost> candidates) {
        this(CURRENT_VERSION, requestId, gatewayId, timestampMs, leg, chosenWorker, settings, promptTokens,
                requestBlocks, maxTokens, List.copyOf(candidates));
    }
}
