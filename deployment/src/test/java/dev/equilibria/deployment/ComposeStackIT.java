package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The docker-compose stack end to end, where Docker exists (skipped cleanly elsewhere): builds the five images,
 * starts Kafka, the 1P/2D fleet, Prometheus and Grafana, streams a completion through the gateway, and checks that
 * Prometheus scrapes every service and Grafana serves the provisioned dashboard. Published ports go to free host
 * ports so a running local fleet is left alone. Building from source needs Maven Central; set
 * EQUILIBRIA_JAR_FROM=host after {@code ./mvnw package} to build the images from the host's jars instead.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

    private static final Duration STARTUP = Duration.ofMinutes(15);
    private static final int MAX_TOKENS = 16;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void bringsUpTheStackAndStreamsACompletion() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("EQUILIBRIA_ADMIN_TOKEN", UUID.randomUUID().toString());
        env.put("EQUILIBRIA_JAR_FROM", System.getenv().getOrDefault("EQUILIBRIA_JAR_FROM", "source"));
        env.put("EQUILIBRIA_WORKER_TIME_SCALE", "4.0");
        for (String port : List.of("KAFKA", "GATEWAY", "PREFILL", "DECODE", "ALLOCATOR", "MONITOR", "PROMETHEUS", "GRAFANA")) {
            env.put("EQUILIBRIA_" + port + "_PORT", Integer.toString(freePort()));
        }

        try (ComposeContainer compose = new ComposeContainer(Repo.path(Repo.COMPOSE_FILE).toFile())
                .withEnv(env)
                .withBuild(true)
                .withRemoveVolumes(true)
                .withExposedService("gateway-service", 8080, Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .withExposedService("prometheus", 9090, Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .withExposedService("grafana", 3000, Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("prefill-service", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("decode-service", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("allocator-service", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("monitor-service", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .withStartupTimeout(STARTUP)) {
            compose.start();
            String gateway = url(compose, "gateway-service", 8080);

            String model = eventually(Duration.ofSeconds(60), () -> {
                JsonNode models = Yamls.JSON.readTree(get(gateway + "/v1/models"));
                return models.path("data").isEmpty() ? null : models.at("/data/0/id").asText();
            });
            assertStreamedCompletion(gateway, model);

            String prometheus = url(compose, "prometheus", 9090);
            String query = URLEncoder.encode("sum(up{job=\"equilibria\"})", StandardCharsets.UTF_8);
            String up = eventually(Duration.ofSeconds(60), () -> {
                JsonNode result = Yamls.JSON.readTree(get(prometheus + "/api/v1/query?query=" + query));
                String value = result.at("/data/result/0/value/1").asText();
                return value.equals("5") ? value : null;
            });
            assertThat(up).as("services Prometheus scrapes").isEqualTo("5");

            String grafana = url(compose, "grafana", 3000);
            JsonNode dashboard = Yamls.JSON.readTree(get(grafana + "/api/dashboards/uid/equilibria"));
            assertThat(dashboard.at("/dashboard/title").asText()).isEqualTo("Equilibria");
        }
    }

    private void assertStreamedCompletion(String gateway, String model) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"prompt\":\"Tell me about the price of anarchy.\",\"max_tokens\":"
                + MAX_TOKENS + ",\"stream\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/completions"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        List<String> data;
        try (var lines = response.body()) {
            data = lines.filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim()).toList();
        }
        assertThat(response.statusCode()).as("status; data %s", data).isEqualTo(200);
        assertThat(data).isNotEmpty();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        for (String json : data.subList(0, data.size() - 1)) {
            JsonNode chunk = Yamls.JSON.readTree(json);
            assertThat(chunk.has("error")).as(json).isFalse();
            String piece = chunk.at("/choices/0/text").asText("");
            if (!piece.isEmpty()) {
                chunks++;
                text.append(piece);
            }
        }
        assertThat(text.toString()).isNotBlank();
        assertThat(chunks).isEqualTo(MAX_TOKENS);
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String url(ComposeContainer compose, String service, int port) {
        return "http://" + compose.getServiceHost(service, port) + ":" + compose.getServicePort(service, port);
    }

    /** Polls until {@code probe} returns non-null, or fails with the last error once {@code timeout} passes. */
    private static <T> T eventually(Duration timeout, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not reached within " + timeout, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
