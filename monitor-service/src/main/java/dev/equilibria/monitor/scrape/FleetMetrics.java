package dev.equilibria.monitor.scrape;

/**
 * What the metrics source saw of the fleet over the last poll window. NaN where it could not tell.
 *
 * @param requestsInFlight  requests the gateways hold right now
 * @param ttftP50Ms         TTFT median over the window, from the gateways' TTFT histogram
 * @param ttftP99Ms         TTFT P99 over the window
 * @param requestsPerSecond finished requests per second over the window
 * @param targetsUp         targets (or queries) that answered
 * @param targets           targets (or queries) asked
 * @param error             the latest failure, or null
 */
public record FleetMetrics(String source, double requestsInFlight, double ttftP50Ms, double ttftP99Ms,
                           double requestsPerSecond, int targetsUp, int targets, String error) {

    public static FleetMetrics none(String source) {
        return new FleetMetrics(source, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, null);
    }
}
