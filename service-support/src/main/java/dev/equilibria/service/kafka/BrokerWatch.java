package dev.equilibria.service.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Knows whether the Kafka broker can be reached, by asking it for its cluster id every {@code check-interval} from a
 * thread of its own. Services use the answer to tell "the broker is down" from "the fleet went quiet": while it is
 * down they keep their last known fleet state, and when it is back they resynchronise. Exported as
 * {@code equilibria_kafka_broker_reachable} (1 or 0). Listeners run on the watch thread, on every change only.
 */
public class BrokerWatch implements SmartLifecycle {

    /** Default {@code equilibria.kafka.broker-check-interval}. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(500);
    /** Default {@code equilibria.kafka.broker-check-timeout}: past this the broker counts as unreachable. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(BrokerWatch.class);

    private final Map<String, Object> adminConfig;
    private final Duration interval;
    private final Duration timeout;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    /** Optimistic until the first check: a service starts as if the broker were there. */
    private volatile boolean reachable = true;
    private volatile boolean reachedOnce;
    private ScheduledExecutorService timer;
    private AdminClient admin;

    public BrokerWatch(Map<String, Object> adminConfig, Duration interval, Duration timeout, MeterRegistry meters) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.interval = interval;
        this.timeout = timeout;
        Gauge.builder("equilibria.kafka.broker.reachable", this, w -> w.reachable ? 1 : 0)
                .description("1 while the Kafka broker answers, 0 while it cannot be reached").register(meters);
    }

    public boolean reachable() {
        return reachable;
    }

    /** Whether a check has ever reached the broker since this service started. */
    public boolean reachedOnce() {
        return reachedOnce;
    }

    /** Called with the new state on every change (true: reachable again). */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** One check now; public so tests can drive it. */
    public synchronized void check() {
        boolean now;
        try {
            if (admin == null) {
                java.util.Map<String, Object> config = new java.util.HashMap<>(adminConfig);
                config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
                admin = AdminClient.create(config);
            }
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 200, TimeUnit.MILLISECONDS);
            now = true;
            reachedOnce = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            now = false;
        }
        if (now != reachable) {
            reachable = now;
            if (now) {
                log.info("the Kafka broker is reachable again");
            } else {
                log.warn("the Kafka broker cannot be reached; serving with the last known fleet state");
            }
            for (Consumer<Boolean> listener : listeners) {
                try {
                    listener.accept(now);
                } catch (RuntimeException e) {
                    log.warn("a broker-state listener failed: {}", e.getMessage());
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-broker-watch");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        // the first check at once: readiness waits for it
        timer.scheduleWithFixedDelay(this::check, 0, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ZERO);
                admin = null;
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
