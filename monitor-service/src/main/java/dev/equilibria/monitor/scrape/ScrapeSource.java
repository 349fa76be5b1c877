package dev.equilibria.monitor.scrape;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Scrapes the fleet's {@code /actuator/prometheus} endpoints directly, all targets in parallel, and derives the
 * poll window's figures from the difference to the previous scrape of each target: TTFT quantiles from the
 * gateways' histogram buckets, the request rate from their request counter. A restarted target (counters going
 * down) counts from zero. Single caller (the poll loop).
 */
public final class ScrapeSource implements MetricsSource {

    private record Previous(long atMs, Map<Double, Double> ttftBuckets, double requests) {
    }

    private final HttpClient http;
    private final List<URI> staticTargets;
    private final Supplier<List<URI>> discovered;
    private final Duration timeout;
    private final GatewayMetricNames names;
    private final PrometheusTextParser parser = new PrometheusTextParser();
    private final Map<URI, Previous> previous = new ConcurrentHashMap<>();

    public ScrapeSource(List<URI> staticTargets, Supplier<List<URI>> discovered, Duration timeout,
                        GatewayMetricNames names) {
        this.staticTargets = List.copyOf(staticTargets);
        this.discovered = discovered;
        this.timeout = timeout;
        this.names = names;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The configured targets plus those discovered from heartbeats, without duplicates. */
    public List<URI> targets() {
        Set<URI> all = new LinkedHashSet<>(staticTargets);
        all.addAll(discovered.get());
        return List.copyOf(all);
    }

    @Override
    public FleetMetrics read(long nowMs) {
        List<URI> targets = targets();
        Map<URI, CompletableFuture<String>> pending = new HashMap<>();
        for (URI target : targets) {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
                    .header("Accept", "text/plain;version=0.0.4").GET().build();
            pending.put(target, http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(target + " answered " + r.statusCode());
                }
                return r.body();
            }));
        }
        int up = 0;
        String error = null;
        Map<Double, Double> ttftDelta = new HashMap<>();
        double inFlight = 0;
        boolean inFlightSeen = false;
        double requestsDelta = 0;
        double seconds = 0;
        for (URI target : targets) {
            Exposition exposition;
            try {
                String body = pending.get(target).get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
                exposition = parser.parse(body);
                up++;
            } catch (Exception e) {
                pending.get(target).cancel(true);
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                error = target + ": " + (cause.getMessage() != null ? cause.getMessage()
                        : cause.getClass().getSimpleName());
                continue;
            }
            double flight = exposition.sum(names.inFlight());
            if (!Double.isNaN(flight)) {
                inFlight += flight;
                inFlightSeen = true;
            }
            Map<Double, Double> buckets = buckets(exposition, names.ttftHistogram() + "_bucket");
            double requests = exposition.sum(names.requestsTotal());
            Previous before = previous.put(target, new Previous(nowMs, buckets, requests));
            if (before != null) {
                boolean reset = buckets.entrySet().stream()
                        .anyMatch(e -> e.getValue() < before.ttftBuckets().getOrDefault(e.getKey(), 0.0));
                buckets.forEach((le, count) -> ttftDelta.merge(le,
                        reset ? count : count - before.ttftBuckets().getOrDefault(le, 0.0), Double::sum));
                if (!Double.isNaN(requests)) {
                    double prior = Double.isNaN(before.requests()) ? 0 : before.requests();
                    requestsDelta += requests >= prior ? requests - prior : requests;
                    seconds = Math.max(seconds, (nowMs - before.atMs()) / 1000.0);
                }
            }
        }
        previous.keySet().retainAll(targets);
        double p50 = HistogramQuantile.of(ttftDelta, 0.5) * 1000;
        double p99 = HistogramQuantile.of(ttftDelta, 0.99) * 1000;
        double rate = seconds > 0 ? requestsDelta / seconds : Double.NaN;
        return new FleetMetrics("scrape", inFlightSeen ? inFlight : Double.NaN, p50, p99, rate, up, targets.size(),
                error);
    }

    /** Cumulative counts by upper bound, summed over every other label. */
    static Map<Double, Double> buckets(Exposition exposition, String bucketName) {
        Map<Double, Double> out = new HashMap<>();
        for (MetricSample s : exposition.samples(bucketName)) {
            String le = s.label("le");
            if (le != null && !Double.isNaN(s.value())) {
                out.merge(PrometheusTextParser.value(le), s.value(), Double::sum);
            }
        }
        return out;
    }

    @Override
    public String describe() {
        List<String> shown = new ArrayList<>();
        targets().forEach(t -> shown.add(t.toString()));
        return "scrape " + String.join(", ", shown);
    }
}
