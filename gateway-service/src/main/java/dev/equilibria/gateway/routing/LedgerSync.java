package dev.equilibria.gateway.routing;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.LedgerDelta;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.service.kafka.EventPublisher;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Shares the load ledger between gateway replicas over Kafka: publishes this replica's changed shares every
 * {@code ledger.publish-interval} (and its full share every {@code keepalive-interval} when idle), and folds in
 * every other replica's deltas. Each replica reads with its own consumer group, and only others' deltas apply.
 */
@Component
public class LedgerSync implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LedgerSync.class);

    private final LoadLedger ledger;
    private final EventPublisher publisher;
    private final InstantSource clock;
    private final RoutingMetrics metrics;
    private final long publishMillis;
    private ScheduledExecutorService timer;

    public LedgerSync(LoadLedger ledger, EventPublisher publisher, InstantSource clock, RoutingMetrics metrics,
                      GatewayProperties properties) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
        this.metrics = metrics;
        this.publishMillis = Math.max(1, properties.ledger().publishInterval().toMillis());
    }

    @KafkaListener(topics = Topics.GATEWAY_LEDGER,
            groupId = "${spring.application.name}-ledger-#{T(java.util.UUID).randomUUID()}")
    public void onDelta(String json) {
        LedgerDelta delta;
        try {
            delta = EventCodec.decode(json, LedgerDelta.class);
        } catch (EventFormatException e) {
            log.warn("ignoring unreadable ledger delta: {}", e.getMessage());
            return;
        }
        if (ledger.apply(delta)) {
            metrics.ledgerDeltaApplied(Math.max(0, clock.millis() - delta.timestampMs()));
        }
    }

    /** Publishes the pending delta, if any; called on the timer, and directly by tests. */
    public void publishPending() {
        try {
            ledger.nextDelta().ifPresent(delta -> publisher.publish(Topics.GATEWAY_LEDGER, ledger.gatewayId(), delta));
        } catch (RuntimeException e) {
            log.warn("could not publish the ledger delta: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-sync");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::publishPending, publishMillis, publishMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
