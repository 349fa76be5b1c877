package dev.equilibria.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.equilibria.monitor.FleetTrafficAccess;
import dev.equilibria.protocol.event.EventCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in real headless Chromium, driven over the DevTools protocol (no Selenium): against the monitor fed
 * by a stand-in fleet on a real broker whose load crosses the knee, the page loads with no console error, every chart
 * fills with live points, the regime timeline gets its transition markers, and a screenshot is saved to
 * {@code target/dashboard.png}. Skipped where {@code /usr/bin/chromium} (or {@code $CHROMIUM}) is missing.
 */
// the same context as RegimeEndToEndIT (keep the properties identical), so failsafe starts the monitor once
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "equilibria.admin.token=test-token",
        "equilibria.monitor.poll-interval=250ms",
        "equilibria.monitor.rate-window=2s",
        "equilibria.monitor.poa.window-requests=16"})
@EmbeddedKafka(partitions = 1)
class DashboardChromiumIT {

    static final Path CHROMIUM = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOT = Paths.get("target", "dashboard.png");
    static final List<String> CHARTS = List.of("load", "ttft", "itl", "regime", "poa", "inflation", "imbalance", "kv");

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, String> kafka;

    @Test
    void theDashboardLoadsWithoutConsoleErrorsAndItsChartsFillWithLiveData() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        double theta1 = json(get("/admin/thresholds")).path("theta1_ms").asDouble();
        double theta2 = json(get("/admin/thresholds")).path("theta2_ms").asDouble();
        Path profile = Files.createTempDirectory("equilibria-chromium-");
        Process chromium = null;
        try (var fleet = FleetTrafficAccess.start(kafka, "below", 20, 0.3 * theta1, false, 0, 4)) {
            chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                    "--window-size=1500,2100", "about:blank").redirectErrorStream(true).start();
            int devToolsPort = devToolsPort(chromium);
            try (DevToolsClient page = new DevToolsClient(pageTarget(devToolsPort))) {
                page.send("Runtime.enable", Map.of());
                page.send("Log.enable", Map.of());
                page.send("Page.enable", Map.of());
                page.send("Page.navigate", Map.of("url", "http://127.0.0.1:" + port + "/"));
                waitUntil(() -> page.evaluate("document.readyState").asString().equals("complete"), 30);

                // live load that crosses the knee while the page watches, then falls back
                waitUntil(() -> page.evaluate("window.equilibriaDashboard.snapshots()").asInt() >= 4, 30);
                FleetTrafficAccess.set(fleet, "herd", 60, 1.5 * theta2, true, 12);
                waitUntil(() -> page.evaluate("(window.equilibriaDashboard.lastSnapshot() || {regime: {}})"
                        + ".regime.regime").asString().equals("SATURATED"), 30);
                FleetTrafficAccess.set(fleet, "quiet", 15, 0.3 * theta1, false, 0);
                waitUntil(() -> page.evaluate("window.equilibriaDashboard.lastSnapshot().regime.regime").asString()
                        .equals("BELOW"), 45);
                waitUntil(() -> allChartsFilled(page.evaluate("window.equilibriaDashboard.fill()"), 8), 45);

                JsonNode fill = page.evaluate("window.equilibriaDashboard.fill()");
                for (String chart : CHARTS) {
                    assertThat(fill.path(chart).path("values").asInt()).as(chart + " in " + fill)
                            .isGreaterThanOrEqualTo(8);
                }
                assertThat(page.evaluate("window.equilibriaDashboard.lastSnapshot().transitions.length").asInt())
                        .as("regime transitions for the timeline's markers").isGreaterThanOrEqualTo(2);
                assertThat(page.evaluate("document.querySelectorAll('#workers tbody tr').length").asInt())
                        .isEqualTo(4);
                assertThat(page.evaluate("document.querySelector('#transitions tbody').textContent").asString())
                        .contains("ttft_p99");
                assertThat(page.evaluate("document.getElementById('connection').textContent").asString())
                        .isEqualTo("live");

                JsonNode shot = page.send("Page.captureScreenshot", Map.of("format", "png"));
                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, Base64.getDecoder().decode(shot.path("data").asString()));
                assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

                List<String> errors = errors(page.events);
                assertThat(errors).as("console errors").isEmpty();
            }
        } finally {
            if (chromium != null) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
                chromium.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean allChartsFilled(JsonNode fill, int values) {
        return CHARTS.stream().allMatch(c -> fill.path(c).path("values").asInt() >= values);
    }

    /** Console errors, uncaught exceptions and error log entries (failed loads included). */
    static List<String> errors(List<DevToolsClient.Event> events) {
        List<String> errors = new ArrayList<>();
        for (DevToolsClient.Event e : events) {
            switch (e.method()) {
                case "Runtime.consoleAPICalled" -> {
                    if (e.params().path("type").asString().equals("error")) {
                        errors.add("console.error: " + e.params().path("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> errors.add("exception: " + e.params().path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    if (e.params().path("entry").path("level").asString().equals("error")) {
                        errors.add("log: " + e.params().path("entry").path("text").asString() + " "
                                + e.params().path("entry").path("url").asString(""));
                    }
                }
                default -> {
                }
            }
        }
        return errors;
    }

    /** Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..." once it is ready. */
    private static int devToolsPort(Process chromium) throws Exception {
        Pattern listening = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(chromium.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("Chromium exited: " + output));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            synchronized (output) {
                throw new IllegalStateException("Chromium did not open DevTools: " + output, e);
            }
        }
    }

    /** The page target's WebSocket URL, from the DevTools HTTP endpoint. */
    private static URI pageTarget(int devToolsPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devToolsPort
                    + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode target : json(body)) {
                if (target.path("type").asString().equals("page") && target.has("webSocketDebuggerUrl")) {
                    return URI.create(target.path("webSocketDebuggerUrl").asString());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Chromium has no page target");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within " + seconds + " s", last);
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer test-token").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode json(String body) {
        return EventCodec.mapper().readTree(body);
    }
}
