package dev.equilibria.fleet.bench;

import dev.equilibria.protocol.event.EventCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Writes a run to its output folder: {@code requests.csv} (one row per request, every inter-token gap included) and
 * {@code summary.json} (the summary, the options and, when the admin token allowed, the gateway's router config).
 */
public final class ResultFiles {

    public static final String REQUESTS_CSV = "requests.csv";
    public static final String SUMMARY_JSON = "summary.json";

    static final String CSV_HEADER = "id,client,scheduled_ms,start_ms,end_ms,status,outcome,error_kind,error_message,"
            + "prompt_tokens,max_tokens,chunk_tokens,usage_completion_tokens,ttft_ms,e2e_ms,mean_itl_ms,retry_after,"
            + "itls_ms";

    private ResultFiles() {
    }

    public static void writeCsv(List<RequestResult> results, Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(CSV_HEADER);
            out.newLine();
            for (RequestResult r : results) {
                out.write(csvRow(r));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String csvRow(RequestResult r) {
        StringBuilder itls = new StringBuilder();
        for (double gap : r.itlsMs()) {
            if (itls.length() > 0) {
                itls.append(' ');
            }
            itls.append(ms(gap));
        }
        return String.join(",", csv(r.id()), Integer.toString(r.client()), ms(r.scheduledNanos() / 1e6),
                ms(r.startNanos() / 1e6), ms(r.endNanos() / 1e6), Integer.toString(r.status()), r.outcome().name(),
                csv(r.errorKind()), csv(r.errorMessage()), Integer.toString(r.promptTokens()),
                Integer.toString(r.maxTokens()), Integer.toString(r.chunkTokens()),
                Integer.toString(r.usageCompletionTokens()), ms(r.ttftMs()), ms(r.e2eMs()), ms(r.meanItlMs()),
                csv(r.retryAfter()), itls.toString());
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** RFC 4180 quoting when needed. */
    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * @param routerConfig the gateway's {@code GET /admin/router-config}, or null
     */
    public static void writeSummary(BenchSummary s, BenchOptions options, String gatewayUrl, String model,
                                    JsonNode routerConfig, Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gateway", gatewayUrl);
        json.put("model", model);
        json.put("workload", s.workload());
        json.put("mode", s.closedLoop() ? "closed_loop" : "open_loop");
        if (s.closedLoop()) {
            json.put("clients", s.clients());
        }
        json.put("seed", options.seed());
        json.put("duration_s", num(s.durationSeconds()));
        json.put("requests", s.requests());
        json.put("succeeded", s.succeeded());
        json.put("explicit_errors", s.explicitErrors());
        json.put("lost", s.lost());
        json.put("errors_by_kind", s.errorsByKind());
        json.put("ttft_ms", stats(s.ttftMs()));
        json.put("itl_ms", stats(s.itlMs()));
        json.put("e2e_ms", stats(s.e2eMs()));
        json.put("output_tokens_per_request", stats(s.outputTokens()));
        json.put("output_tokens", s.totalOutputTokens());
        json.put("request_throughput_per_s", num(s.requestThroughput()));
        json.put("output_token_throughput_per_s", num(s.outputTokenThroughput()));
        Map<String, Object> slo = new LinkedHashMap<>();
        s.slo().ttftMs().ifPresent(v -> slo.put("ttft_ms", v));
        s.slo().itlMs().ifPresent(v -> slo.put("mean_itl_ms", v));
        s.slo().e2eMs().ifPresent(v -> slo.put("e2e_ms", v));
        json.put("slo", slo);
        json.put("good_requests", s.goodRequests());
        json.put("goodput_per_s", num(s.goodput()));
        json.put("token_mismatches", s.tokenMismatches());
        json.put("short_requests", s.shortRequests());
        if (routerConfig != null) {
            json.put("router_config", routerConfig);
        }
        try {
            Files.writeString(file, EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json)
                    + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Map<String, Object> stats(Stats st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", st.count());
        m.put("mean", num(st.mean()));
        m.put("min", num(st.min()));
        m.put("p50", num(st.p50()));
        m.put("p90", num(st.p90()));
        m.put("p99", num(st.p99()));
        m.put("max", num(st.max()));
        return m;
    }

    /** JSON has no NaN: an empty statistic is null. */
    private static Double num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
