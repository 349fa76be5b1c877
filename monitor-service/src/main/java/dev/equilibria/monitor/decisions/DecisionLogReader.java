package dev.equilibria.monitor.decisions;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.RoutingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Reads the gateway's routing-decision log from Kafka and counts decisions per leg and worker. */
@Component
public class DecisionLogReader {

    private static final Logger log = LoggerFactory.getLogger(DecisionLogReader.class);

    private final MeterRegistry registry;

    public DecisionLogReader(MeterRegistry registry) {
        this.registry = registry;
    }

    @KafkaListener(topics = Topics.ROUTING_DECISIONS, groupId = "monitor-decisions")
    public void onDecision(String json) {
        RoutingDecision decision;
        try {
            decision = EventCodec.decode(json, RoutingDecision.class);
        } catch (EventFormatException e) {
            log.warn("ignoring routing decision: {}", e.getMessage());
            return;
        }
        Counter.builder("equilibria.monitor.routing.decisions")
                .description("Routing decisions read from the decision log")
                .tag("leg", decision.leg().wireName())
                .tag("worker", String.valueOf(decision.chosenWorker()))
                .register(registry).increment();
    }
}
