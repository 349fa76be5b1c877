package dev.equilibria.monitor.scrape;

/**
 * The gateway metrics the monitor reads, by their Prometheus names.
 *
 * @param ttftHistogram  histogram family of time to first token, in seconds ({@code _bucket} with {@code le})
 * @param requestsTotal  counter of finished requests
 * @param inFlight       gauge of requests in flight
 */
public record GatewayMetricNames(String ttftHistogram, String requestsTotal, String inFlight) {

    public static final String DEFAULT_TTFT_HISTOGRAM = "equilibria_gateway_ttft_seconds";
    public static final String DEFAULT_REQUESTS_TOTAL = "equilibria_gateway_requests_total";
    public static final String DEFAULT_IN_FLIGHT = "equilibria_gateway_requests_in_flight";

    public static GatewayMetricNames defaults() {
        return new GatewayMetricNames(DEFAULT_TTFT_HISTOGRAM, DEFAULT_REQUESTS_TOTAL, DEFAULT_IN_FLIGHT);
    }
}
