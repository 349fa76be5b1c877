package dev.equilibria.monitor.inputs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts Kafka records the monitor could not use ({@code equilibria_monitor_records_rejected_total{topic}}) and
 * logs the first few of each topic and then every thousandth, so a broken producer shows without flooding the log.
 */
public final class RejectedRecords {

    public static final String METRIC = "equilibria.monitor.records.rejected";

    private static final Logger log = LoggerFactory.getLogger(RejectedRecords.class);

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public RejectedRecords(MeterRegistry registry) {
        this.registry = registry;
    }

    public void reject(String topic, String problem) {
        Counter counter = counters.computeIfAbsent(topic, t -> Counter.builder(METRIC).tag("topic", t)
                .description("Kafka records the monitor could not read or use, by topic").register(registry));
        counter.increment();
        long n = (long) counter.count();
        if (n <= 10 || n % 1000 == 0) {
            log.warn("skipping record {} on {}: {}", n, topic, problem);
        }
    }
}
