package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthWaiterTest {

    private HttpServer server;
    private final HealthWaiter waiter = new HealthWaiter();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        route("/up", 200, "{\"status\":\"UP\",\"components\":{\"kafka\":{\"status\":\"UP\"}}}");
        route("/down", 503, "{\"status\":\"DOWN\"}");
        route("/unknown", 200, "{\"status\":\"UNKNOWN\"}");
        route("/models", 200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-70b\",\"object\":\"model\"}]}");
        route("/no-models", 200, "{\"object\":\"list\",\"data\":[]}");
        route("/garbage", 200, "<html>");
        server.start();
    }

    private void route(String path, int status, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HealthWaiter.Answer get(String path) {
        return waiter.get("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void upOnlyFor200WithStatusUp() {
        assertThat(HealthWaiter.isUp(get("/up"))).isTrue();
        assertThat(HealthWaiter.isUp(get("/down"))).isFalse();
        assertThat(HealthWaiter.isUp(get("/unknown"))).isFalse();
        assertThat(HealthWaiter.isUp(get("/garbage"))).isFalse();
    }

    @Test
    void readsTheFirstListedModel() {
        assertThat(HealthWaiter.firstModel(get("/models"))).contains("llama-3.1-70b");
        assertThat(HealthWaiter.firstModel(get("/no-models"))).isEmpty();
        assertThat(HealthWaiter.firstModel(get("/garbage"))).isEmpty();
        assertThat(HealthWaiter.firstModel(get("/nothing-here"))).isEmpty();
    }

    @Test
    void aClosedPortIsAnAnswerToo() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HealthWaiter.Answer answer = waiter.get("http://127.0.0.1:" + port + "/actuator/health");

        assertThat(answer.ok()).isFalse();
        assertThat(answer.toString()).startsWith("no answer");
    }
}
