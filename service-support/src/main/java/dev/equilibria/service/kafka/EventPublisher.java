package dev.equilibria.service.kafka;

import dev.equilibria.protocol.event.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events as JSON, keyed by worker id (or request id). Never blocks request handling for long and never
 * throws: an event that cannot be published is counted in {@code equilibria_events_unpublished_total} and logged.
 */
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> published = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unpublished = new ConcurrentHashMap<>();

    public EventPublisher(KafkaTemplate<String, String> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public void publish(String topic, String key, Object event) {
        String json = EventCodec.encode(event);
        try {
            kafka.send(topic, key, json).whenComplete((result, error) -> {
                if (error == null) {
                    counter(published, "equilibria.events.published", topic).increment();
                } else {
                    failed(topic, error);
                }
            });
        } catch (RuntimeException e) {
            failed(topic, e);
        }
    }

    private void failed(String topic, Throwable error) {
        counter(unpublished, "equilibria.events.unpublished", topic).increment();
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        log.warn("could not publish to {}: {} ({})", topic, error.getMessage(), root.getMessage());
    }

    private Counter counter(ConcurrentMap<String, Counter> cache, String name, String topic) {
        return cache.computeIfAbsent(topic, t -> Counter.builder(name).tag("topic", t)
                .description("Events sent to Kafka, by topic").register(registry));
    }
}
