package dev.equilibria.allocator.inputs;

import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RoutingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Feeds the gateway's decision log and request records from Kafka into the {@link DemandTracker}. Each allocator
 * instance reads with its own consumer group from the latest offset: demand is a recent-window quantity, so a
 * restarted allocator does not replay history.
 */
public class DecisionLogReader {

    private static final Logger log = LoggerFactory.getLogger(DecisionLogReader.class);

    private final DemandTracker demand;
    private final Counter rejected;

    public DecisionLogReader(DemandTracker demand, MeterRegistry registry) {
        this.demand = demand;
        this.rejected = Counter.builder("equilibria.allocator.events.rejected")
                .description("Decision-log events and request records that could not be read").register(registry);
    }

    @KafkaListener(topics = Topics.ROUTING_DECISIONS,
            groupId = "allocator-decisions-#{T(java.util.UUID).randomUUID()}")
    public void onDecision(String json) {
        try {
            demand.onDecision(EventCodec.decode(json, RoutingDecision.class));
        } catch (EventFormatException | IllegalArgumentException | NullPointerException e) {
            rejected.increment();
            log.warn("ignoring routing decision: {}", e.getMessage());
        }
    }

    @KafkaListener(topics = Topics.REQUEST_RECORDS,
            groupId = "allocator-records-#{T(java.util.UUID).randomUUID()}")
    public void onRecord(String json) {
        try {
            demand.onRecord(EventCodec.decode(json, RequestRecord.class));
        } catch (EventFormatException | IllegalArgumentException | NullPointerException e) {
            rejected.increment();
            log.warn("ignoring request record: {}", e.getMessage());
        }
    }
}
