package dev.equilibria.monitor.web;

import dev.equilibria.protocol.event.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal Chrome DevTools Protocol client over {@code java.net.http.WebSocket}: sends commands to one page target,
 * waits for their results, and keeps every event it receives (console calls, exceptions, log entries).
 */
final class DevToolsClient implements AutoCloseable {

    /** An event as received: its method and params. */
    record Event(String method, JsonNode params) {
    }

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    final List<Event> events = new CopyOnWriteArrayList<>();

    DevToolsClient(URI pageWebSocket) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(pageWebSocket, new Listener()).get(15, TimeUnit.SECONDS);
    }

    /** Sends a command and returns its {@code result}; a protocol error is thrown. */
    JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = EventCodec.mapper().createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", EventCodec.mapper().valueToTree(params));
        socket.sendText(EventCodec.mapper().writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode response = reply.get(30, TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.path("result");
    }

    /** Evaluates an expression in the page and returns its value (by value, so JSON-able results come back whole). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = EventCodec.mapper().readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                    if (reply != null) {
                        reply.complete(message);
                    }
                } else if (message.has("method")) {
                    events.add(new Event(message.get("method").asString(), message.path("params")));
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
