package dev.equilibria.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node KRaft broker in a child JVM, for {@link GatewayOverheadBenchmark}: the broker's threads must not
 * share the measuring JVM's heap, GC pauses and safepoints with the gateway under test. The child runs
 * {@link #main} on this JVM's class path, prints {@value #BOOTSTRAP_PREFIX}{@code host:port} once it is up, and
 * stops when its standard input closes, so it also goes away when the parent dies.
 */
final class BenchmarkBroker implements AutoCloseable {

    static final String BOOTSTRAP_PREFIX = "bootstrap=";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int KEPT_LINES = 40;

    private final Process process;
    private final String bootstrap;

    private BenchmarkBroker(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts the child and waits until it serves. */
    static BenchmarkBroker start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BenchmarkBroker.class.getName())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Deque<String> lastLines = new ArrayDeque<>();
        CompletableFuture<String> bootstrap = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(BOOTSTRAP_PREFIX)) {
                        bootstrap.complete(line.substring(BOOTSTRAP_PREFIX.length()).trim());
                    } else if (!bootstrap.isDone()) {
                        synchronized (lastLines) {
                            lastLines.addLast(line);
                            if (lastLines.size() > KEPT_LINES) {
                                lastLines.removeFirst();
                            }
                        }
                    }
                    // keep reading after start: a full pipe would block the broker's logging
                }
            } catch (IOException ignored) {
                // the child is gone
            }
            bootstrap.completeExceptionally(new IOException("broker process ended before serving"));
        }, "benchmark-broker-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return new BenchmarkBroker(process, bootstrap.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            synchronized (lastLines) {
                throw new IOException("the benchmark's broker did not start: " + e.getMessage() + "; its output:\n"
                        + String.join("\n", lastLines), e);
            }
        }
    }

    String bootstrapServers() {
        return bootstrap;
    }

    /** CPU time the broker process has used so far (0 where the platform does not say). */
    double cpuSeconds() {
        return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child: one broker and controller on free ports, until standard input closes. */
    public static void main(String[] args) throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 8);
        broker.afterPropertiesSet();
        System.out.println(BOOTSTRAP_PREFIX + broker.getBrokersAsString());
        System.out.flush();
        try {
            while (System.in.read() != -1) {
                // wait for the parent to close the pipe
            }
        } finally {
            broker.destroy();
        }
        System.exit(0);
    }
}
