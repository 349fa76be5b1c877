package dev.equilibria.gateway.edge;

import dev.equilibria.e2e.WorkerProcess;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real workers (worker-runtime, simulated 70B on B200) hosted in contexts of their own on the test's broker: one
 * prefill and one decode process, each with one worker.
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
                "--spring.autoconfigure.exclude=",
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=1",
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.time-scale=" + timeScale,
                "--equilibria.worker.heartbeat-interval=200ms",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(WorkerProcess.class).run(args.toArray(String[]::new));
    }

    @Override
    public void close() {
        processes.forEach(ConfigurableApplicationContext::close);
    }
}
