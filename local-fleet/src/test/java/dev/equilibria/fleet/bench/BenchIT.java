package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.fleet.Fleet;
import dev.equilibria.fleet.FleetCommand;
import dev.equilibria.fleet.FleetOptions;
import dev.equilibria.fleet.FleetTests;
import dev.equilibria.fleet.PortCheck;
import dev.equilibria.fleet.RunningFleet;
import dev.equilibria.protocol.event.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./fleet bench} against the real fleet (KRaft broker and the five services from their executable jars, on
 * offset ports and a temporary home): it finds the gateway, the model and the admin token from the fleet's home,
 * runs 30 requests of the paper workload at C=4, and the summary and files must say every request streamed exactly
 * {@code max_tokens} tokens.
 */
class BenchIT {

    private static final int REQUESTS = 30;
    private static final int CONCURRENCY = 4;
    private static final int MAX_TOKENS = 16;

    @TempDir
    Path home;

    @TempDir
    Path out;

    @Test
    void aShortClosedLoopRunStreamsEveryRequestAndWritesItsFiles() throws Exception {
        Path root = FleetTests.repositoryRoot();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.remove("EQUILIBRIA_ADMIN_TOKEN");
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--detach", "--port-offset",
                Integer.toString(FleetTests.freeOffset(5200, 83)), "--home", home.toString()}, env, root);
        Fleet fleet = new Fleet(options, env, System.out);
        RunningFleet running = fleet.up(false);
        try {
            // the model is listed once any worker is known; the bench asserts zero errors, so wait for all three
            awaitWorkers(running, 3);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int code = FleetCommand.run(new String[] {"bench", "--home", home.toString(), "--requests",
                    Integer.toString(REQUESTS), "--concurrency", Integer.toString(CONCURRENCY), "--output-tokens",
                    Integer.toString(MAX_TOKENS), "--slo-ttft-ms", "60000", "--out", out.toString()}, Map.of(), root,
                    new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
            String printed = stdout.toString(StandardCharsets.UTF_8);
            System.out.println(printed);

            assertThat(code).isZero();
            assertThat(printed).contains("time to first token (ms)", "inter-token latency (ms)",
                    "request throughput (req/s)", "goodput (req/s)");

            JsonNode summary = EventCodec.mapper().readTree(Files.readString(out.resolve(ResultFiles.SUMMARY_JSON)));
            assertThat(summary.path("gateway").asString()).isEqualTo(running.gatewayUrl());
            assertThat(summary.path("model").asString()).isEqualTo(running.model());
            assertThat(summary.path("requests").asInt()).isEqualTo(REQUESTS);
            assertThat(summary.path("succeeded").asInt()).isEqualTo(REQUESTS);
            assertThat(summary.path("explicit_errors").asInt()).isZero();
            assertThat(summary.path("lost").asInt()).isZero();
            assertThat(summary.path("errors_by_kind").isEmpty()).isTrue();
            assertThat(summary.path("output_tokens").asLong()).isEqualTo((long) REQUESTS * MAX_TOKENS);
            assertThat(summary.path("output_tokens_per_request").path("min").asDouble()).isEqualTo(MAX_TOKENS);
            assertThat(summary.path("output_tokens_per_request").path("max").asDouble()).isEqualTo(MAX_TOKENS);
            assertThat(summary.path("token_mismatches").asInt()).isZero();
            assertThat(summary.path("itl_ms").path("count").asInt()).isEqualTo(REQUESTS * (MAX_TOKENS - 1));
            assertThat(summary.path("ttft_ms").path("max").asDouble())
                    .isLessThan(summary.path("e2e_ms").path("max").asDouble());
            assertThat(summary.path("request_throughput_per_s").asDouble()).isPositive();
            assertThat(summary.path("good_requests").asInt()).isEqualTo(REQUESTS);
            assertThat(summary.path("router_config").isObject()).as("router config read with the fleet's admin token")
                    .isTrue();

            List<String> csv = Files.readAllLines(out.resolve(ResultFiles.REQUESTS_CSV));
            assertThat(csv).hasSize(REQUESTS + 1);
            assertThat(csv.get(0)).isEqualTo(ResultFiles.CSV_HEADER);
            List<String> header = List.of(csv.get(0).split(","));
            for (String row : csv.subList(1, csv.size())) {
                String[] cols = row.split(",", -1);
                assertThat(cols[header.indexOf("outcome")]).isEqualTo("SUCCESS");
                assertThat(cols[header.indexOf("status")]).isEqualTo("200");
                assertThat(Integer.parseInt(cols[header.indexOf("chunk_tokens")])).isEqualTo(MAX_TOKENS);
                assertThat(Integer.parseInt(cols[header.indexOf("usage_completion_tokens")])).isEqualTo(MAX_TOKENS);
                assertThat(Double.parseDouble(cols[header.indexOf("ttft_ms")]))
                        .isLessThan(Double.parseDouble(cols[header.indexOf("e2e_ms")]));
                assertThat(cols[header.indexOf("itls_ms")].split(" ")).hasSize(MAX_TOKENS - 1);
            }
        } finally {
            fleet.stop();
        }
        assertThat(PortCheck.awaitFree(List.of(options.kafkaPort(), 8080 + options.portOffset()),
                java.time.Duration.ofSeconds(10))).isEmpty();
    }

    private static void awaitWorkers(RunningFleet running, int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(running.gatewayUrl() + "/admin/workers"))
                    .header("Authorization", "Bearer " + running.adminToken().value()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                seen = EventCodec.mapper().readTree(response.body()).size();
                if (seen >= count) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the gateway saw " + seen + " of " + count + " workers after 60 s");
    }
}
