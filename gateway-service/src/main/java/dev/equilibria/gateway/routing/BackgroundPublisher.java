package dev.equilibria.gateway.routing;

import dev.equilibria.service.kafka.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes the events the request path produces (routing decisions, request records) from a thread of its own, so
 * the Netty event loops that serve requests never wait on the Kafka producer (its send can block on metadata, a
 * full buffer, or its selector's lock). The queue is bounded; an event that finds it full is dropped and counted in
 * {@code equilibria_gateway_events_dropped_total}, never blocking a request.
 */
@Component
public class BackgroundPublisher implements SmartLifecycle {

    /** Events that may wait for the publishing thread. */
    public static final int CAPACITY = 65_536;

    private static final Logger log = LoggerFactory.getLogger(BackgroundPublisher.class);

    private final EventPublisher publisher;
    private final Counter dropped;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile Thread thread;

    public BackgroundPublisher(EventPublisher publisher, MeterRegistry meters) {
        this.publisher = publisher;
        this.dropped = Counter.builder("equilibria.gateway.events.dropped")
                .description("Events dropped because the publishing queue was full").register(meters);
    }

    public void publish(String topic, String key, Object event) {
        if (!queue.offer(new Event(topic, key, event))) {
            dropped.increment();
        }
    }

    @Override
    public synchronized void start() {
        Thread t = new Thread(this::drain, "event-publisher");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
        Event left;
        while ((left = queue.poll()) != null) {
            publisher.publish(left.topic(), left.key(), left.event());
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    private void drain() {
        while (thread != null) {
            try {
                Event next = queue.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    publisher.publish(next.topic(), next.key(), next.event());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("could not publish an event: {}", e.getMessage());
            }
        }
    }

    private record Event(String topic, String key, Object event) {
    }
}
