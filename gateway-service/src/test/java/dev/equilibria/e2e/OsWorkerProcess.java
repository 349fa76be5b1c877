package dev.equilibria.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker process in its own JVM, on the test's classpath, so a test can kill it the way a machine dies
 * ({@link #kill()}: SIGKILL, no shutdown hooks, sockets reset by the kernel). Its output goes to a log file under
 * {@code target/} for diagnosis.
 */
public final class OsWorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private OsWorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code count} workers of {@code role} named {@code prefix-i} against the broker. */
    public static OsWorkerProcess start(String role, int count, String prefix, String brokers, String... extra)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", ManagementFactory.getRuntimeMXBean().getClassPath(),
                WorkerProcess.class.getName(),
                "--server.port=0",
                "--spring.application.name=" + prefix,
                "--springdoc.api-docs.enabled=false",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--equilibria.worker.role=" + role,
                "--equilibria.worker.count=" + count,
                "--equilibria.worker.id-prefix=" + prefix,
                "--equilibria.worker.heartbeat-interval=200ms",
                "--logging.level.kafka=WARN", "--logging.level.org.apache.kafka=WARN"));
        command.addAll(List.of(extra));
        Path log = Path.of("target", "os-worker-" + prefix + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new OsWorkerProcess(process, log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the JVM at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
