package dev.equilibria.service.kafka;

import dev.equilibria.protocol.event.EventCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events as JSON, keyed by worker id (or request id). Never blocks its caller and never throws: events go
 * through a bounded queue to a sending thread of their own, because the Kafka producer's {@code send} itself can
 * block (up to {@code max.block.ms}) while the broker is away and the caller may be an engine step or a Netty event
 * loop. An event that cannot be published (queue full, send refused, delivery timed out) is counted in
 * {@code equilibria_events_unpublished_total{topic}} and logged (rate-limited), and the caller's failure callback, if
 * any, runs. Per-key order is kept: one thread sends everything in the order it was queued.
 */
public class EventPublisher implements AutoCloseable {

    /** Events that may wait for the sending thread; past this the newest are dropped and counted. */
    public static final int QUEUE_CAPACITY = 65_536;
    /** How long {@link #close()} keeps sending what is queued before it gives up. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** At most one failure log line per topic this often; the counter has the full story. */
    static final long LOG_INTERVAL_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    private static final Consumer<Throwable> IGNORE = error -> {
    };

    private final KafkaTemplate<String, String> kafka;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> published = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unpublished = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread sender;
    private volatile boolean closed;

    public EventPublisher(KafkaTemplate<String, String> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
        Gauge.builder("equilibria.events.queued", queue, BlockingQueue::size)
                .description("Events waiting for the Kafka sending thread").register(registry);
        this.sender = new Thread(this::drain, "kafka-event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    public void publish(String topic, String key, Object event) {
        publish(topic, key, event, IGNORE);
    }

    /**
     * Queues one event.
     *
     * @param onFailure runs (on a Kafka or the sending thread) when the event could not be published
     */
    public void publish(String topic, String key, Object event, Consumer<Throwable> onFailure) {
        String json;
        try {
            json = EventCodec.encode(event);
        } catch (RuntimeException e) {
            failed(topic, e, onFailure);
            return;
        }
        if (closed || !queue.offer(new Pending(topic, key, json, onFailure))) {
            failed(topic, new IllegalStateException("the publishing queue is full or closed"), onFailure);
        }
    }

    /** Sends what is still queued, for at most {@link #CLOSE_TIMEOUT}, then stops the sending thread. */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sender.interrupt();
    }

    private void drain() {
        while (true) {
            Pending next;
            try {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            send(next);
        }
    }

    private void send(Pending event) {
        try {
            kafka.send(event.topic(), event.key(), event.json()).whenComplete((result, error) -> {
                if (error == null) {
                    counter(published, "equilibria.events.published", event.topic(),
                            "Events acknowledged by Kafka, by topic").increment();
                } else {
                    failed(event.topic(), error, event.onFailure());
                }
            });
        } catch (RuntimeException e) {
            failed(event.topic(), e, event.onFailure());
        }
    }

    private void failed(String topic, Throwable error, Consumer<Throwable> onFailure) {
        counter(unpublished, "equilibria.events.unpublished", topic,
                "Events that could not be published (broker down, timeout, queue full), by topic").increment();
        long now = System.currentTimeMillis();
        Long previous = lastLogged.get(topic);
        if (previous == null || now - previous >= LOG_INTERVAL_MILLIS) {
            lastLogged.put(topic, now);
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            log.warn("could not publish to {}: {} ({}); counting in equilibria_events_unpublished_total", topic,
                    error.getMessage(), root.getMessage());
        }
        try {
            onFailure.accept(error);
        } catch (RuntimeException e) {
            log.warn("a publish failure callback failed: {}", e.getMessage());
        }
    }

    private Counter counter(ConcurrentMap<String, Counter> cache, String name, String topic, String description) {
        return cache.computeIfAbsent(topic, t -> Counter.builder(name).tag("topic", t)
                .description(description).register(registry));
    }

    private record Pending(String topic, String key, String json, Consumer<Throwable> onFailure) {
    }
}
