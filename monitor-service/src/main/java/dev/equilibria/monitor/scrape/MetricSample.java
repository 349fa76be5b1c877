package dev.equilibria.monitor.scrape;

import java.util.Map;

/**
 * One sample line of the Prometheus text format.
 *
 * @param name        the sample's name as written, for example {@code http_requests_total} or
 *                    {@code latency_seconds_bucket}
 * @param labels      label names to (unescaped) values, in the order written
 * @param value       the value; NaN and infinities as written
 * @param timestampMs the optional timestamp, or null
 */
public record MetricSample(String name, Map<String, String> labels, double value, Long timestampMs) {

    public MetricSample {
        labels = Map.copyOf(labels);
    }

    public String label(String labelName) {
        return labels.get(labelName);
    }
}
