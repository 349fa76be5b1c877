package dev.equilibria.monitor.scrape;

/** Where the monitor reads the fleet's Prometheus metrics from: the services' endpoints, or a Prometheus server. */
public interface MetricsSource {

    /**
     * Reads the fleet's metrics for the window since the previous call. Blocks at most the configured timeout and
     * never throws: failures show in {@link FleetMetrics#error()} and {@code targetsUp}.
     */
    FleetMetrics read(long nowMs);

    /** A short description for the dashboard, for example the targets scraped. */
    String describe();

    /** No source configured: everything NaN; the request records and worker loads carry the poll. */
    MetricsSource NONE = new MetricsSource() {
        @Override
        public FleetMetrics read(long nowMs) {
            return FleetMetrics.none("none");
        }

        @Override
        public String describe() {
            return "none";
        }
    };
}
