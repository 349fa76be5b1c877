package dev.equilibria.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * service-support's edge pieces in a minimal service over a real socket: the admin token filter and CORS, closed by
 * default and open for configured origins only. Kafka is left out: nothing here touches it.
 */
class EdgeWebTests {

    static final String TOKEN = "edge-test-token-5d1f";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext service;
    private int port;

    @SpringBootApplication
    @RestController
    static class MiniService {

        @GetMapping("/admin/ping")
        String adminPing() {
            return "pong";
        }

        @PutMapping("/admin/ping")
        String adminPut() {
            return "put";
        }

        @GetMapping("/hello")
        String hello() {
            return "hello";
        }

        @GetMapping("/administrator")
        String notAdmin() {
            return "public";
        }
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theAdminApiNeedsItsTokenInAnyCaseOfTheScheme() throws Exception {
        start();
        assertThat(get("/admin/ping", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/admin/ping", "Bearer " + TOKEN + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(wrong.headers().firstValue("www-authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(wrong.body()).contains("\"status\":401").doesNotContain(TOKEN);
        for (String bad : List.of("Bearer " + TOKEN.substring(0, TOKEN.length() - 1), "Bearer ", "Bearer",
                "Basic " + TOKEN, TOKEN, "Bearer " + TOKEN + " " + TOKEN)) {
            assertThat(get("/admin/ping", bad).statusCode()).as(bad).isEqualTo(401);
        }
        for (String good : List.of("Bearer " + TOKEN, "bearer " + TOKEN, "BEARER  " + TOKEN + " ")) {
            HttpResponse<String> response = get("/admin/ping", good);
            assertThat(response.statusCode()).as(good).isEqualTo(200);
            assertThat(response.body()).isEqualTo("pong");
        }
        assertThat(get("/admin", null).statusCode()).isEqualTo(401);
        assertThat(get("/administrator", null).statusCode()).as("only /admin and below").isEqualTo(200);
        assertThat(get("/hello", null).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenConfiguredTheAdminApiIsClosed() throws Exception {
        startWithToken("");
        HttpResponse<String> response = get("/admin/ping", "Bearer ");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Admin API disabled");
        assertThat(get("/admin/ping", "Bearer anything").statusCode()).isEqualTo(401);
    }

    @Test
    void corsIsClosedByDefault() throws Exception {
        start();
        for (String path : List.of("/hello", "/admin/ping")) {
            HttpResponse<String> preflight = preflight(path, "https://ops.example.com");
            assertThat(preflight.headers().map().keySet()).as(path)
                    .noneMatch(name -> name.toLowerCase().startsWith("access-control-allow"));
        }
        HttpResponse<String> simple = http.send(HttpRequest.newBuilder(uri("/hello"))
                .header("Origin", "https://ops.example.com").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(simple.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void corsOpensForConfiguredOriginsOnly() throws Exception {
        start("--equilibria.cors.allowed-origins=https://ops.example.com");
        HttpResponse<String> allowed = preflight("/admin/ping", "https://ops.example.com");
        assertThat(allowed.statusCode()).as("preflights need no token").isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://ops.example.com");
        assertThat(allowed.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
                value -> assertThat(value).contains("PUT"));
        assertThat(allowed.headers().firstValue("access-control-allow-credentials")).isEmpty();

        HttpResponse<String> simple = http.send(HttpRequest.newBuilder(uri("/hello"))
                .header("Origin", "https://ops.example.com").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(simple.headers().firstValue("access-control-allow-origin")).hasValue("https://ops.example.com");
        assertThat(simple.headers().firstValue("access-control-expose-headers")).hasValue("Retry-After");

        HttpResponse<String> other = preflight("/hello", "https://evil.example");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(other.statusCode()).isEqualTo(403);
    }

    private void start(String... extra) {
        startWithToken(TOKEN, extra);
    }

    private void startWithToken(String token, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0",
                "--spring.application.name=edge-test",
                "--equilibria.admin.token=" + token,
                "--spring.autoconfigure.exclude=dev.equilibria.service.kafka.FleetKafkaAutoConfiguration,"
                        + "dev.equilibria.service.fleet.FleetMembershipAutoConfiguration,"
                        + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                "--management.endpoint.health.group.readiness.include=readinessState"));
        args.addAll(List.of(extra));
        service = new SpringApplicationBuilder(MiniService.class).run(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) service).getWebServer().getPort();
    }

    private HttpResponse<String> preflight(String path, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
