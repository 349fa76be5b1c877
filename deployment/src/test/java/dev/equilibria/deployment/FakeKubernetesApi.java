package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A read-only stand-in for the Kubernetes API on loopback, answering the chart's {@code lookup} calls while it is
 * rendered. helm-java's {@code template} renders with lookups switched on (unlike {@code helm template}), and a
 * lookup needs an API server; this one knows Secrets and Deployments, serves the objects a test put in it and 404s
 * the rest, so an upgrade (objects already there) can be rendered as well as an install. Surefire points
 * {@code KUBECONFIG} at the file this writes, so the embedded Helm never reaches a real cluster.
 */
final class FakeKubernetesApi {

    private static final String RESOURCES_V1 = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
             {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]},
             {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["get","list"]}]}
            """;
    private static final String RESOURCES_APPS_V1 = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
             {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list"]},
             {"name":"statefulsets","singularName":"statefulset","namespaced":true,"kind":"StatefulSet","verbs":["get","list"]}]}
            """;
    private static final String NOT_FOUND = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"not found","reason":"NotFound","code":404}
            """;
    private static final Map<String, String> PLURALS = Map.of("Secret", "secrets", "ConfigMap", "configmaps",
            "Deployment", "deployments", "StatefulSet", "statefulsets");

    private static FakeKubernetesApi instance;

    private final HttpServer server;
    private final Map<String, String> objects = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeKubernetesApi(Path kubeconfig) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: fake
                    cluster:
                      server: http://127.0.0.1:%d
                contexts:
                  - name: fake
                    context:
                      cluster: fake
                      user: fake
                current-context: fake
                users:
                  - name: fake
                    user: {}
                """.formatted(server.getAddress().getPort()));
    }

    /** The server, started on first use and writing the kubeconfig surefire named in {@code KUBECONFIG}. */
    static synchronized FakeKubernetesApi get() {
        if (instance == null) {
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null || !kubeconfig.endsWith("fake-kube/config")) {
                throw new IllegalStateException("KUBECONFIG must point at target/fake-kube/config (set by surefire), "
                        + "so rendering the chart never looks up a real cluster; got " + kubeconfig);
            }
            try {
                instance = new FakeKubernetesApi(Path.of(kubeconfig));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** Serves {@code manifest} (a Secret or Deployment) until {@link #clear()}. */
    void put(JsonNode manifest) {
        String kind = manifest.path("kind").asText();
        String group = manifest.path("apiVersion").asText().equals("v1") ? "/api/v1" : "/apis/" + manifest.path("apiVersion").asText();
        objects.put(group + "/namespaces/" + manifest.at("/metadata/namespace").asText() + "/" + PLURALS.get(kind) + "/"
                + manifest.at("/metadata/name").asText(), manifest.toString());
    }

    void clear() {
        objects.clear();
        requests.clear();
    }

    /** Paths of the object reads since the last {@link #clear()} (discovery left out). */
    List<String> reads() {
        return requests.stream().filter(path -> path.contains("/namespaces/")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(path);
        String body;
        int status = 200;
        if (!exchange.getRequestMethod().equals("GET")) {
            status = 405;
            body = NOT_FOUND.replace("404", "405").replace("NotFound", "MethodNotAllowed");
        } else if (path.equals("/api/v1")) {
            body = RESOURCES_V1;
        } else if (path.equals("/apis/apps/v1")) {
            body = RESOURCES_APPS_V1;
        } else if (objects.containsKey(path)) {
            body = objects.get(path);
        } else {
            status = 404;
            body = NOT_FOUND;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
