package dev.equilibria.gateway.edge;

import static org.awaitility.Awaitility.await;

import dev.equilibria.e2e.WorkerProcess;
import dev.equilibria.protocol.event.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real workers (worker-runtime, simulated 70B on B200) hosted in contexts of their own on the test's broker: one
 * prefill and one decode process, each with one worker. An {@code extra} argument replaces a default of the same name.
 */
final class RealWorkers implements AutoCloseable {

    private final List<ConfigurableApplicationContext> processes = new ArrayList<>();

    RealWorkers(String brokers, String prefix, double timeScale, String... extra) {
        processes.add(start(brokers, "prefill", prefix + "-prefill", timeScale, extra));
        processes.add(start(brokers, "decode", prefix + "-decode", timeScale, extra));
    }

    static ConfigurableApplicationContext start(String brokers, String role, String prefix, double timeScale,
                                                String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.application.name=" + prefix,
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=1",
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.time-scale=" + timeScale,
                "--equilibria.worker.heartbeat-interval=200ms",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN"));
        for (String arg : extra) {
            args.removeIf(a -> a.contains("=") && arg.startsWith(a.substring(0, a.indexOf('=') + 1)));
            args.add(arg);
        }
        return WorkerProcess.builder().run(args.toArray(String[]::new));
    }

    /** Waits until the gateway on {@code port} lists one model (it heard both workers) and returns its id. */
    static String awaitModel(HttpClient http, int port, Duration within) {
        HttpRequest models = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models")).GET()
                .build();
        AtomicReference<String> model = new AtomicReference<>();
        await().atMost(within).until(() -> {
            var data = EventCodec.mapper().readTree(http.send(models, HttpResponse.BodyHandlers.ofString()).body())
                    .path("data");
            if (data.size() == 1) {
                model.set(data.get(0).path("id").stringValue());
            }
            return model.get() != null;
        });
        return model.get();
    }

    @Override
    public void close() {
        processes.forEach(ConfigurableApplicationContext::close);
    }
}
