package dev.equilibria.monitor.inputs;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.Allocation;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.WorkerLoad;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Reads the monitor's Kafka inputs: the gateways' routing decisions and request records, the workers' load reports
 * and the allocator's splits. Every monitor instance reads every record (a consumer group per instance), so a
 * standby is warm when it takes over. A record that cannot be decoded or does not add up is counted and skipped.
 */
public class FleetInputs {

    public static final String DECISIONS_METRIC = "equilibria.monitor.routing.decisions";

    private final InstantSource clock;
    private final EfficiencyIndices indices;
    private final DecisionStats decisions;
    private final RequestStats requests;
    private final WorkerLoadBoard loads;
    private final AllocationBoard allocations;
    private final RejectedRecords rejected;
    private final MeterRegistry registry;

    public FleetInputs(InstantSource clock, EfficiencyIndices indices, DecisionStats decisions, RequestStats requests,
                       WorkerLoadBoard loads, AllocationBoard allocations, RejectedRecords rejected,
                       MeterRegistry registry) {
        this.clock = clock;
        this.indices = indices;
        this.decisions = decisions;
        this.requests = requests;
        this.loads = loads;
        this.allocations = allocations;
        this.rejected = rejected;
        this.registry = registry;
    }

    @KafkaListener(topics = Topics.ROUTING_DECISIONS,
            groupId = "${spring.application.name}-decisions-#{T(java.util.UUID).randomUUID()}")
    public void onDecision(String json) {
        RoutingDecision decision;
        try {
            decision = EventCodec.decode(json, RoutingDecision.class);
            validate(decision);
            indices.onDecision(decision);
        } catch (EventFormatException | IllegalArgumentException | IllegalStateException e) {
            rejected.reject(Topics.ROUTING_DECISIONS, e.getMessage());
            return;
        }
        decisions.record(decision, clock.millis());
        Counter.builder(DECISIONS_METRIC).description("Routing decisions read from the decision log")
                .tag("leg", decision.leg().wireName()).tag("worker", String.valueOf(decision.chosenWorker()))
                .register(registry).increment();
    }

    /**
     * Refuses a decision the PoA-hat matrix cannot hold: a cost term that is not a finite, non-negative number would
     * make the whole window unsolvable, and with it every later decision of the leg.
     */
    static void validate(RoutingDecision d) {
        if (d.leg() == null || d.settings() == null || d.candidates() == null || d.chosenWorker() == null) {
            throw new IllegalArgumentException("decision " + d.requestId()
                    + " lacks leg, chosen_worker, settings or candidates");
        }
        if (!finiteNonNegative(d.settings().overlapScoreWeight())
                || !finiteNonNegative(d.settings().routerTemperature())) {
            throw new IllegalArgumentException("decision " + d.requestId() + " has settings " + d.settings());
        }
        for (var c : d.candidates()) {
            if (c == null || c.workerId() == null || !finiteNonNegative(c.prefillBlocks())
                    || !finiteNonNegative(c.decodeBlocks()) || !Double.isFinite(c.cost()) || c.overlapBlocks() < 0) {
                throw new IllegalArgumentException("decision " + d.requestId() + " has a candidate with missing or"
                        + " non-finite terms: " + c);
            }
        }
    }

    private static boolean finiteNonNegative(double v) {
        return Double.isFinite(v) && v >= 0;
    }

    @KafkaListener(topics = Topics.REQUEST_RECORDS,
            groupId = "${spring.application.name}-records-#{T(java.util.UUID).randomUUID()}")
    public void onRequestRecord(String json) {
        long now = clock.millis();
        try {
            RequestRecord record = EventCodec.decode(json, RequestRecord.class);
            if (record.promptTokens() < 0 || record.cachedTokens() < 0 || record.outputTokens() < 0) {
                throw new IllegalArgumentException("request " + record.requestId() + " has negative token counts");
            }
            indices.onRecord(record, now);
            requests.record(record, now);
        } catch (EventFormatException | IllegalArgumentException e) {
            rejected.reject(Topics.REQUEST_RECORDS, e.getMessage());
        }
    }

    @KafkaListener(topics = Topics.WORKER_LOAD,
            groupId = "${spring.application.name}-load-#{T(java.util.UUID).randomUUID()}")
    public void onWorkerLoad(String json) {
        try {
            WorkerLoad load = EventCodec.decode(json, WorkerLoad.class);
            if (load.workerId() == null || load.role() == null) {
                throw new IllegalArgumentException("load report lacks worker_id or role");
            }
            if (load.runningRequests() < 0 || load.waitingRequests() < 0 || load.kvBlocksUsed() < 0
                    || load.kvBlocksTotal() < 0) {
                throw new IllegalArgumentException("load report of " + load.workerId() + " has negative figures");
            }
            loads.record(load, clock.millis());
        } catch (EventFormatException | IllegalArgumentException e) {
            rejected.reject(Topics.WORKER_LOAD, e.getMessage());
        }
    }

    /** Reads from the start: the topic is small and the latest split matters even if it is old. */
    @KafkaListener(topics = Topics.ALLOCATIONS,
            groupId = "${spring.application.name}-allocations-#{T(java.util.UUID).randomUUID()}",
            properties = "auto.offset.reset=earliest")
    public void onAllocation(String json) {
        try {
            Allocation allocation = EventCodec.decode(json, Allocation.class);
            if (allocation.prefillWorkers() < 0 || allocation.decodeWorkers() < 0) {
                throw new IllegalArgumentException("allocation has negative pool sizes");
            }
            allocations.record(allocation);
        } catch (EventFormatException | IllegalArgumentException e) {
            rejected.reject(Topics.ALLOCATIONS, e.getMessage());
        }
    }
}
