package dev.equilibria.monitor.scrape;

import dev.equilibria.protocol.event.EventCodec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fleet's figures from a Prometheus server's HTTP API ({@code GET /api/v1/query}, instant queries) instead
 * of scraping the services: useful on a cluster where Prometheus already scrapes every pod. Each query sums over
 * all gateway replicas; a query that fails or returns no series leaves its figure NaN.
 */
public final class PrometheusApiSource implements MetricsSource {

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration timeout;
    private final Map<String, String> queries;

    public PrometheusApiSource(URI baseUrl, Duration timeout, Duration window, GatewayMetricNames names) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.queries = queries(window, names);
    }

    /** The PromQL this source runs, by figure. */
    public static Map<String, String> queries(Duration window, GatewayMetricNames names) {
        // rate() needs at least two samples in its range; never query less than 10 s
        String range = Math.max(10, window.toSeconds()) + "s";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("in_flight", "sum(" + names.inFlight() + ")");
        q.put("ttft_p50", quantile(0.5, names, range));
        q.put("ttft_p99", quantile(0.99, names, range));
        q.put("requests_per_second", "sum(rate(" + names.requestsTotal() + "[" + range + "]))");
        return q;
    }

    private static String quantile(double q, GatewayMetricNames names, String range) {
        return String.format(Locale.ROOT, "histogram_quantile(%s, sum by (le) (rate(%s_bucket[%s])))", q,
                names.ttftHistogram(), range);
    }

    public Map<String, String> queries() {
        return queries;
    }

    @Override
    public FleetMetrics read(long nowMs) {
        Map<String, Double> values = new LinkedHashMap<>();
        int up = 0;
        String error = null;
        for (Map.Entry<String, String> e : queries.entrySet()) {
            try {
                values.put(e.getKey(), query(e.getValue()));
                up++;
            } catch (Exception ex) {
                values.put(e.getKey(), Double.NaN);
                error = e.getKey() + ": " + ex.getMessage();
            }
        }
        return new FleetMetrics("prometheus", values.get("in_flight"), values.get("ttft_p50") * 1000,
                values.get("ttft_p99") * 1000, values.get("requests_per_second"), up, queries.size(), error);
    }

    /** One instant query: the sum of the result vector's values (NaN with no series). */
    double query(String promql) throws Exception {
        URI uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode());
        }
        return parseResult(response.body());
    }

    static double parseResult(String body) {
        JsonNode root = EventCodec.mapper().readTree(body);
        if (!"success".equals(root.path("status").asString(""))) {
            throw new IllegalStateException("query failed: " + root.path("error").asString("unknown error"));
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asString("");
        JsonNode result = data.path("result");
        if (type.equals("scalar")) {
            return PrometheusTextParser.value(result.get(1).asString());
        }
        if (!type.equals("vector")) {
            throw new IllegalStateException("expected a vector result, got '" + type + "'");
        }
        if (result.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (JsonNode series : result) {
            sum += PrometheusTextParser.value(series.path("value").get(1).asString());
        }
        return sum;
    }

    @Override
    public String describe() {
        return "prometheus " + baseUrl;
    }
}
