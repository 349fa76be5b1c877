package dev.equilibria.monitor;

import org.springframework.kafka.core.KafkaTemplate;

/** Lets tests in other packages drive {@link FleetTraffic} without widening it. */
public final class FleetTrafficAccess {

    private FleetTrafficAccess() {
    }

    public static AutoCloseable start(KafkaTemplate<String, String> kafka, String name, double rate, double ttftMs,
                                      boolean herd, int waiting) {
        return new FleetTraffic(kafka, phase(name, rate, ttftMs, herd, waiting));
    }

    public static AutoCloseable start(KafkaTemplate<String, String> kafka, String name, double rate, double ttftMs,
                                      boolean herd, int waiting, int running) {
        return new FleetTraffic(kafka, new FleetTraffic.Phase(name, rate, ttftMs, herd, waiting, running));
    }

    public static void set(AutoCloseable traffic, String name, double rate, double ttftMs, boolean herd, int waiting) {
        ((FleetTraffic) traffic).set(phase(name, rate, ttftMs, herd, waiting));
    }

    private static FleetTraffic.Phase phase(String name, double rate, double ttftMs, boolean herd, int waiting) {
        return new FleetTraffic.Phase(name, rate, ttftMs, herd, waiting,
                herd ? FleetTraffic.MAX_NUM_SEQS : Math.max(2, waiting));
    }
}
