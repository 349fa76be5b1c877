package dev.equilibria.fleet;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process of the fleet (a service JVM or the broker) with its output in its own log file.
 *
 * <p>Children run in a session of their own (through {@code setsid} where it exists), so a Ctrl-C in the
 * terminal reaches only the launcher, which then stops them in order, and a detached fleet outlives the
 * terminal it was started from.
 */
public final class ServiceProcess {

    /** How many lines of a log a failure message quotes. */
    public static final int TAIL_LINES = 20;

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final String name;
    private final Process process;
    private final Path log;
    private final List<Integer> ports;

    private ServiceProcess(String name, Process process, Path log, List<Integer> ports) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.ports = List.copyOf(ports);
    }

    /**
     * Starts {@code command} with {@code env} added to the launcher's environment, standard output and error
     * going to {@code log} (truncated first) and no standard input.
     *
     * @param ports the ports the process will listen on, for stopping and reporting
     */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path workingDir,
                                       Path log, List<Integer> ports) {
        return start(name, command, env, workingDir, log, ports, false);
    }

    /**
     * As {@link #start(String, List, Map, Path, Path, List)}, appending to the log when {@code appendLog} (a restart
     * keeps the previous run's lines).
     */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path workingDir,
                                       Path log, List<Integer> ports, boolean appendLog) {
        List<String> full = new ArrayList<>();
        setsid().ifPresent(path -> full.add(path.toString()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                        : ProcessBuilder.Redirect.to(log.toFile()));
        File devNull = new File("/dev/null");
        if (devNull.exists()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(devNull));
        }
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new ServiceProcess(name, builder.start(), log, ports);
        } catch (IOException e) {
            throw new FleetException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage()
                    + "\nLog: " + log, e);
        }
    }

    private static Optional<Path> setsid() {
        return SETSID.stream().filter(Files::isExecutable).findFirst();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    public List<Integer> ports() {
        return ports;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process has ended, empty while it runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Completes when the process ends. */
    public CompletableFuture<ServiceProcess> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    /** When the process started, as the operating system reports it (pid files check it against pid reuse). */
    public Optional<Instant> startInstant() {
        return process.toHandle().info().startInstant();
    }

    /** Stops the process: SIGTERM, up to {@code grace} to finish, then SIGKILL. */
    public boolean stop(Duration grace) {
        return stopAll(List.of(process.toHandle()), grace).isEmpty();
    }

    /**
     * Asks every process to stop (SIGTERM) at once, gives them {@code grace} together, then kills what is left.
     *
     * @return the processes that had to be killed
     */
    public static List<ProcessHandle> stopAll(List<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> descendants = new ArrayList<>();
        for (ProcessHandle handle : processes) {
            handle.descendants().forEach(descendants::add);
            handle.destroy();
        }
        List<ProcessHandle> killed = new ArrayList<>();
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : processes) {
            if (!waitFor(handle, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                killed.add(handle);
                handle.destroyForcibly();
                waitFor(handle, Duration.ofSeconds(5));
            }
        }
        for (ProcessHandle orphan : descendants) {
            if (orphan.isAlive()) {
                orphan.destroyForcibly();
                waitFor(orphan, Duration.ofSeconds(5));
            }
        }
        return killed;
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) {
            return true;
        }
        try {
            handle.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        return tail(log, lines);
    }

    /** The last {@code lines} lines of a file, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (all.isEmpty()) {
                return "(the log is empty)";
            }
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            // a log cut in the middle of a multi-byte character is still worth showing
            try {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                List<String> all = text.lines().toList();
                return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException again) {
                return "(cannot read " + file + ": " + again.getMessage() + ")";
            }
        }
    }

    /**
     * A message that names the process, says what went wrong and quotes the end of its log.
     *
     * @param problem for example {@code "exited with code 1 before it became healthy"}
     */
    public String failureMessage(String problem) {
        return name + " " + problem + "." + System.lineSeparator()
                + "Last lines of " + log + ":" + System.lineSeparator()
                + indent(logTail(TAIL_LINES)) + System.lineSeparator()
                + "Full log: " + log;
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  | " + line).reduce((a, b) -> a + System.lineSeparator() + b).orElse("  |");
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
