package dev.equilibria.gateway.pipeline;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.gateway.routing.WorkerPools;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.ledger.TrafficWindow;
import dev.equilibria.routing.orchestration.LegRouter;
import dev.equilibria.routing.orchestration.RoutedLeg;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.gateway.routing.BackgroundPublisher;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Places one leg: the pool for the leg (minus drained and already tried workers), the router's choice with the
 * request's settings, the decision published to the decision log, and the leg counted in the ledger.
 */
@Component
public class LegPlacer {

    private final WorkerPools pools;
    private final LegRouter router;
    private final BackgroundPublisher publisher;
    private final RoutingMetrics routingMetrics;
    private final GatewayMetrics metrics;
    private final TrafficWindow traffic;

    public LegPlacer(WorkerPools pools, LegRouter router, BackgroundPublisher publisher, RoutingMetrics routingMetrics,
                     GatewayMetrics metrics, TrafficWindow traffic) {
        this.pools = pools;
        this.router = router;
        this.publisher = publisher;
        this.routingMetrics = routingMetrics;
        this.metrics = metrics;
        this.traffic = traffic;
    }

    /**
     * Chooses the worker for a leg.
     *
     * @param leg      PREFILL or DECODE; AGGREGATED places a whole request on a decode-capable worker
     * @param excluded workers already tried for this leg
     * @throws NoWorkerAvailableException when the pool has no other worker
     */
    public RoutedLeg route(WorkerRole leg, GenerationRequest request, Set<String> excluded) {
        WorkerRole pool = leg == WorkerRole.AGGREGATED ? WorkerRole.DECODE : leg;
        List<LiveWorker> candidates = pools.pool(pool, request.model(), excluded);
        if (candidates.isEmpty()) {
            throw new NoWorkerAvailableException(pool, request.model());
        }
        RoutedLeg routed = router.route(leg, request.route(), candidates, request.config().leg(leg));
        routingMetrics.phase(RoutingMetrics.Phase.HASH, routed.hashNanos());
        routingMetrics.phase(RoutingMetrics.Phase.LOOKUP, routed.lookupNanos());
        routingMetrics.phase(RoutingMetrics.Phase.SELECT, routed.selectNanos());
        routingMetrics.decision(leg, routed.decision().settings().policy());
        publisher.publish(Topics.ROUTING_DECISIONS, request.requestId(), routed.decision());
        return routed;
    }

    /** Counts the leg in the ledger and in the traffic window; release the reservation when the leg ends. */
    public Reservation reserve(WorkerRole leg, RoutedLeg routed, GenerationRequest request, boolean prefills,
                               boolean decodes) {
        metrics.legPlaced(leg, routed.workerId());
        if (leg == WorkerRole.AGGREGATED) {
            traffic.record(WorkerRole.PREFILL, routed.workerId());
            traffic.record(WorkerRole.DECODE, routed.workerId());
        } else {
            traffic.record(leg, routed.workerId());
        }
        return router.reserve(routed, request.route(), prefills, decodes);
    }
}
