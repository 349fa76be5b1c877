package dev.equilibria.protocol;

import java.util.List;

/**
 * Kafka topic names of the fleet; every keyed topic is keyed by worker id (the gateway ledger by gateway id) so one
 * producer's events stay ordered.
 */
public final class Topics {

    /** {@link dev.equilibria.protocol.event.WorkerHeartbeat}: workers announce themselves, about once a second. */
    public static final String HEARTBEATS = "equilibria.worker-heartbeats";
    /** {@link dev.equilibria.protocol.event.WorkerLoad}: queue and KV occupancy of each worker. */
    public static final String WORKER_LOAD = "equilibria.worker-load";
    /** {@link dev.equilibria.protocol.event.KvEvent}: blocks stored, removed, cleared, with per-worker sequence numbers. */
    public static final String KV_EVENTS = "equilibria.kv-events";
    /** {@link dev.equilibria.protocol.event.RoutingDecision}: the gateway's decision log. */
    public static final String ROUTING_DECISIONS = "equilibria.routing-decisions";
    /** {@link dev.equilibria.protocol.event.RouterConfigOverride}: fleet-wide router settings from the monitor. */
    public static final String ROUTER_CONFIG = "equilibria.router-config";
    /** {@link dev.equilibria.protocol.event.Allocation}: the P/D split and per-worker routing weights. */
    public static final String ALLOCATIONS = "equilibria.allocations";
    /** {@link dev.equilibria.protocol.event.WorkerCommand}: role switches and snapshot requests, keyed by worker id. */
    public static final String WORKER_COMMANDS = "equilibria.worker-commands";

    /** {@link dev.equilibria.protocol.event.RequestRecord}: how each request went, keyed by request id. */
    public static final String REQUEST_RECORDS = "equilibria.request-records";
    /** {@link dev.equilibria.protocol.event.CapacityAlert}: the monitor tells the allocator a pool lacks capacity. */
    public static final String CAPACITY_ALERTS = "equilibria.capacity-alerts";

    /**
     * {@link dev.equilibria.protocol.event.LedgerDelta}: each gateway replica's in-flight load per worker, keyed by
     * gateway id, so replicas route on the whole fleet's load.
     */
    public static final String GATEWAY_LEDGER = "equilibria.gateway-ledger";

    /** Every topic, for creating them at startup. */
    public static final List<String> ALL = List.of(HEARTBEATS, WORKER_LOAD, KV_EVENTS, ROUTING_DECISIONS,
            ROUTER_CONFIG, ALLOCATIONS, WORKER_COMMANDS, REQUEST_RECORDS, CAPACITY_ALERTS, GATEWAY_LEDGER);

    private Topics() {
    }
}
