package dev.equilibria.fleet;

import dev.equilibria.fleet.kafka.BrokerSettings;
import dev.equilibria.fleet.kafka.KafkaReadiness;
import dev.equilibria.fleet.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Starts and stops a local fleet: a KRaft broker (unless {@code KAFKA_BOOTSTRAP_SERVERS} names one) and the five
 * services from their executable jars, each a child JVM with its log in {@code .fleet/logs/}.
 *
 * <p>{@link #up(boolean)} returns once every service is healthy and the gateway lists a model; if anything fails
 * on the way it stops what it started and throws a {@link FleetException} naming the cause and the log.
 * {@link #down(FleetLayout, PrintStream)} stops a fleet a previous launcher left running.
 */
public final class Fleet {

    /** How long the local broker may take to accept clients. */
    public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
    /** How long an existing broker ({@code KAFKA_BOOTSTRAP_SERVERS}) may take to answer. */
    public static final Duration EXTERNAL_KAFKA_TIMEOUT = Duration.ofSeconds(15);
    /** How long the gateway may take, once healthy, to hear a worker's heartbeat. */
    public static final Duration MODELS_TIMEOUT = Duration.ofSeconds(60);
    /** A service drains for up to 20 s (spring.lifecycle.timeout-per-shutdown-phase) before it is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How long a stopped fleet's ports may take to be released. */
    public static final Duration PORTS_FREE_TIMEOUT = Duration.ofSeconds(15);

    private final FleetOptions options;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PidFile pids;
    private final HealthWaiter waiter = new HealthWaiter();

    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess broker;
    /** What {@link #up} started, kept so single processes can be stopped and started again (fault tests). */
    private List<ServiceSpec> specs = List.of();
    private Map<String, Path> jars = Map.of();
    private BrokerSettings brokerSettings;
    private boolean stopping;
    /** Set once this launcher may rewrite the pid file: no other fleet runs from the same home. */
    private boolean ownsPidFile;
    private FileChannel lockChannel;
    private FileLock lock;

    /**
     * @param env the environment the services inherit, and where the admin token and Kafka address are read from
     * @param out progress messages
     */
    public Fleet(FleetOptions options, Map<String, String> env, PrintStream out) {
        this.options = options;
        this.env = Map.copyOf(env);
        this.out = out;
        this.pids = new PidFile(options.layout().pidFile());
    }

    /**
     * Starts the fleet and waits until it is ready.
     *
     * @param foreground also record the launcher in the pid file, so that {@code down} stops it (and it stops the rest)
     * @throws FleetException when the fleet already runs, a port is taken, a jar is missing, or a process fails;
     *                        whatever was started is stopped again
     */
    public RunningFleet up(boolean foreground) {
        FleetLayout layout = options.layout();
        layout.create();
        acquireLock();
        try {
            requireNotRunning();
            synchronized (this) {
                ownsPidFile = true;
            }
            pids.delete();
            checkPorts();
            jars = requireJars();
            AdminToken token = AdminToken.resolve(env, new SecureRandom());
            token.writeTo(layout.adminTokenFile());
            if (foreground) {
                pids.add(PidFile.Entry.of(PidFile.LAUNCHER, ProcessHandle.current(), List.of()));
            }

            String bootstrap = startKafka();
            specs = ServiceSpec.fleet(options, bootstrap, token.value());
            out.println("Starting " + specs.stream().map(ServiceSpec::name).collect(Collectors.joining(", "))
                    + " (" + options.topology() + ")...");
            Map<ServiceProcess, String> healthUrls = new LinkedHashMap<>();
            for (ServiceSpec spec : specs) {
                ServiceProcess process = startProcess(spec.name(),
                        JavaCommand.service(jars.get(spec.module()), env), spec.env(), List.of(spec.port()), false);
                healthUrls.put(process, spec.healthUrl());
            }
            waiter.awaitHealthy(healthUrls, options.readyTimeout());
            out.println("All services are healthy; waiting for the gateway to hear the workers' heartbeats...");

            ServiceProcess gateway = processNamed(ServiceSpec.GATEWAY);
            ServiceSpec gatewaySpec = specs.get(0);
            String model = waiter.awaitModel(gateway, gatewaySpec.baseUrl() + "/v1/models",
                    List.of(gateway, processNamed(ServiceSpec.PREFILL), processNamed(ServiceSpec.DECODE)),
                    MODELS_TIMEOUT);

            List<ServiceProcess> all = new ArrayList<>();
            if (broker != null) {
                all.add(broker);
            }
            synchronized (this) {
                all.addAll(services);
            }
            return new RunningFleet(options, bootstrap, broker != null, specs, token, model, all);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void requireNotRunning() {
        List<PidFile.Entry> alive = pids.alive().stream()
                .filter(e -> e.pid() != ProcessHandle.current().pid()).toList();
        if (!alive.isEmpty()) {
            throw new FleetException("a fleet is already running from " + options.layout().home() + " ("
                    + describe(alive) + "). Stop it with ./fleet down, or start a second one with "
                    + "--home DIR --port-offset N.");
        }
    }

    private void acquireLock() {
        Path lockFile = options.layout().lockFile();
        try {
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                lockChannel = null;
                List<PidFile.Entry> alive = pids.alive();
                throw new FleetException("another ./fleet up is running from " + options.layout().home()
                        + (alive.isEmpty() ? "" : " (" + describe(alive) + ")")
                        + ". Stop it with Ctrl-C in its terminal or ./fleet down.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // the lock goes with the process anyway
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    private void checkPorts() {
        if (options.externalBootstrap().isEmpty()) {
            PortCheck.requireFree(options.kafkaPort(), "the local Kafka broker");
            PortCheck.requireFree(options.kafkaControllerPort(), "the local Kafka broker's controller");
        }
        ServiceSpec.BASE_PORTS.forEach((name, port) -> PortCheck.requireFree(port + options.portOffset(), name));
        for (int i = 0; i < options.extraWorkerProcesses().size(); i++) {
            PortCheck.requireFree(ServiceSpec.extraPort(options, i), ServiceSpec.extraName(options.extraWorkerProcesses(), i));
        }
    }

    private Map<String, Path> requireJars() {
        Map<String, Path> jars = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : ServiceSpec.BASE_PORTS.keySet()) {
            Optional<Path> jar = ServiceSpec.findExecutableJar(options.layout().root(), name);
            if (jar.isPresent()) {
                jars.put(name, jar.get());
            } else {
                missing.add(name + "/target/" + name + "-<version>-exec.jar");
            }
        }
        if (!missing.isEmpty()) {
            throw new FleetException("missing executable jars under " + options.layout().root() + ": "
                    + String.join(", ", missing) + ". Build them with ./mvnw -DskipTests package "
                    + "(./fleet up does that when they are missing).");
        }
        return jars;
    }

    private String startKafka() {
        Optional<String> external = options.externalBootstrap();
        if (external.isPresent()) {
            String bootstrap = external.get();
            out.println("Using the Kafka at " + bootstrap + " (KAFKA_BOOTSTRAP_SERVERS)...");
            if (!KafkaReadiness.await(bootstrap, EXTERNAL_KAFKA_TIMEOUT, () -> true)) {
                throw new FleetException("cannot reach the Kafka at " + bootstrap + " given by KAFKA_BOOTSTRAP_SERVERS within "
                        + EXTERNAL_KAFKA_TIMEOUT.toSeconds() + " s. Start that broker, or unset KAFKA_BOOTSTRAP_SERVERS "
                        + "to let ./fleet start one.");
            }
            return bootstrap;
        }
        BrokerSettings settings = new BrokerSettings(options.layout().kafkaDirectory(), options.kafkaPort(),
                options.kafkaControllerPort());
        brokerSettings = settings;
        out.println("Starting Kafka (KRaft) on " + settings.bootstrapServers() + ", storage in "
                + settings.dataDirectory() + "...");
        ServiceProcess process = launchBroker(settings, false);
        return settings.bootstrapServers();
    }

    private ServiceProcess launchBroker(BrokerSettings settings, boolean appendLog) {
        List<String> jvm = new ArrayList<>(JavaCommand.BROKER_JVM_OPTIONS);
        jvm.addAll(JavaCommand.splitOptions(env.get(JavaCommand.ENV_BROKER_OPTIONS)));
        ServiceProcess process = startProcess(PidFile.KAFKA,
                JavaCommand.main(LocalKafkaBroker.class.getName(), jvm, settings.toArguments()), Map.of(),
                List.of(settings.port(), settings.controllerPort()), appendLog);
        if (!KafkaReadiness.await(settings.bootstrapServers(), KAFKA_TIMEOUT, process::isAlive)) {
            throw new FleetException(process.failureMessage(process.isAlive()
                    ? "did not accept clients on " + settings.bootstrapServers() + " within " + KAFKA_TIMEOUT.toSeconds() + " s"
                    : "exited with code " + process.exitCode().orElse(-1) + " before it accepted clients"));
        }
        return process;
    }

    /** Starts a child and records it, unless the fleet is being stopped (Ctrl-C while starting). */
    private synchronized ServiceProcess startProcess(String name, List<String> command, Map<String, String> childEnv,
                                                     List<Integer> ports, boolean appendLog) {
        if (stopping) {
            throw new FleetException("stopped while starting");
        }
        FleetLayout layout = options.layout();
        ServiceProcess process = ServiceProcess.start(name, command, childEnv, layout.root(), layout.log(name), ports,
                appendLog);
        if (name.equals(PidFile.KAFKA)) {
            broker = process;
        } else {
            services.removeIf(p -> p.name().equals(name));
            services.add(process);
        }
        pids.add(PidFile.Entry.of(name, process.handle(), ports));
        return process;
    }

    private synchronized ServiceProcess processNamed(String name) {
        return services.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " was not started"));
    }

    /** The current process of a service (or {@code kafka}), alive or not. */
    public synchronized ServiceProcess process(String name) {
        if (name.equals(PidFile.KAFKA)) {
            if (broker == null) {
                throw new IllegalStateException("this fleet uses an external Kafka (KAFKA_BOOTSTRAP_SERVERS)");
            }
            return broker;
        }
        return processNamed(name);
    }

    /** The specs of the services {@link #up} started, extra worker processes last. */
    public synchronized List<ServiceSpec> specs() {
        return specs;
    }

    /** Kills a service (or {@code kafka}) at once with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill(String name) {
        ServiceProcess process = process(name);
        process.handle().destroyForcibly();
        process.onExit().join();
    }

    /**
     * Stops a service (or {@code kafka}) as an orchestrator would: SIGTERM, up to {@code grace} to drain, then SIGKILL.
     *
     * @return true when it stopped within the grace period
     */
    public boolean stopOne(String name, Duration grace) {
        return process(name).stop(grace);
    }

    /**
     * Starts a stopped service again with the same jar, port and environment (its log is appended to) and waits until
     * it is healthy; {@code kafka} restarts the local broker on the same ports and storage and waits until it accepts
     * clients.
     *
     * @throws FleetException when the process still runs, or does not come up within the ready timeout
     */
    public ServiceProcess restart(String name) {
        ServiceProcess old = process(name);
        if (old.isAlive()) {
            throw new FleetException(name + " (pid " + old.pid() + ") still runs; stop it first");
        }
        if (name.equals(PidFile.KAFKA)) {
            PortCheck.awaitFree(List.of(brokerSettings.port(), brokerSettings.controllerPort()), PORTS_FREE_TIMEOUT);
            return launchBroker(brokerSettings, true);
        }
        ServiceSpec spec;
        synchronized (this) {
            spec = specs.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no service " + name));
        }
        PortCheck.awaitFree(List.of(spec.port()), PORTS_FREE_TIMEOUT);
        ServiceProcess process = startProcess(spec.name(), JavaCommand.service(jars.get(spec.module()), env),
                spec.env(), List.of(spec.port()), true);
        waiter.awaitHealthy(Map.of(process, spec.healthUrl()), options.readyTimeout());
        return process;
    }

    /** True once {@link #stop()} began, for example from the Ctrl-C hook. */
    public synchronized boolean isStopping() {
        return stopping;
    }

    /** True when this launcher started at least one process. */
    public synchronized boolean hasStarted() {
        return broker != null || !services.isEmpty();
    }

    /**
     * Stops the services (together), then the broker; removes the pid file and releases the lock. Safe to call
     * more than once and from a shutdown hook.
     *
     * @return the names of processes that had to be killed because they did not stop in time
     */
    public synchronized List<String> stop() {
        List<String> killed = new ArrayList<>();
        if (!stopping) {
            stopping = true;
            killed.addAll(stopProcesses(services));
            if (broker != null) {
                killed.addAll(stopProcesses(List.of(broker)));
            }
            if (ownsPidFile) {
                pids.delete();
            }
        }
        releaseLock();
        return killed;
    }

    private static List<String> stopProcesses(List<ServiceProcess> processes) {
        List<ProcessHandle> handles = processes.stream().map(ServiceProcess::handle).toList();
        List<ProcessHandle> killed = ServiceProcess.stopAll(handles, STOP_GRACE);
        return processes.stream().filter(p -> killed.contains(p.handle())).map(ServiceProcess::name).toList();
    }

    /** Lets the processes run on after the launcher exits ({@code up --detach}); {@code down} stops them. */
    public synchronized void detach() {
        releaseLock();
    }

    /** Blocks until one of the fleet's processes ends, and returns it. */
    public ServiceProcess awaitFirstExit() {
        List<CompletableFuture<ServiceProcess>> exits = new ArrayList<>();
        synchronized (this) {
            if (broker != null) {
                exits.add(broker.onExit());
            }
            services.forEach(p -> exits.add(p.onExit()));
        }
        return (ServiceProcess) CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Stops the fleet recorded in {@code layout}'s pid file, whichever launcher started it: a foreground launcher
     * is asked to stop (it then stops its children in order), the services are stopped, then the broker; then
     * waits until their ports are free.
     *
     * @return 0 when nothing is left behind, 1 when a port stayed in use
     */
    public static int down(FleetLayout layout, PrintStream out) {
        PidFile pids = new PidFile(layout.pidFile());
        List<PidFile.Entry> entries = pids.read();
        if (entries.isEmpty()) {
            out.println("No fleet is running from " + layout.home() + ".");
            return 0;
        }
        Set<Integer> ports = new LinkedHashSet<>();
        entries.forEach(e -> ports.addAll(e.ports()));
        List<PidFile.Entry> alive = pids.alive().stream()
                .filter(e -> e.pid() != ProcessHandle.current().pid()).toList();
        List<String> killed = new ArrayList<>();
        if (alive.isEmpty()) {
            out.println("The fleet recorded in " + pids.path() + " is no longer running; cleaning up.");
        } else {
            out.println("Stopping " + describe(alive) + "...");
            stopEntries(alive, e -> e.name().equals(PidFile.LAUNCHER), STOP_GRACE.multipliedBy(2), killed);
            stopEntries(alive, e -> !e.name().equals(PidFile.LAUNCHER) && !e.name().equals(PidFile.KAFKA),
                    STOP_GRACE, killed);
            stopEntries(alive, e -> e.name().equals(PidFile.KAFKA), STOP_GRACE, killed);
        }
        List<Integer> taken = PortCheck.awaitFree(ports, PORTS_FREE_TIMEOUT);
        pids.delete();
        if (!killed.isEmpty()) {
            out.println("Killed " + String.join(", ", killed) + ": they did not stop within " + STOP_GRACE.toSeconds() + " s.");
        }
        if (!taken.isEmpty()) {
            out.println("Stopped the fleet, but ports " + taken + " are still in use by another process.");
            return 1;
        }
        out.println("Stopped. Ports " + ports.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " are free.");
        return 0;
    }

    private static void stopEntries(List<PidFile.Entry> entries, java.util.function.Predicate<PidFile.Entry> which,
                                    Duration grace, List<String> killed) {
        List<PidFile.Entry> chosen = entries.stream().filter(which).toList();
        List<ProcessHandle> handles = chosen.stream().flatMap(e -> e.process().stream()).toList();
        if (handles.isEmpty()) {
            return;
        }
        List<ProcessHandle> forced = ServiceProcess.stopAll(handles, grace);
        chosen.stream().filter(e -> forced.stream().anyMatch(h -> h.pid() == e.pid())).forEach(e -> killed.add(e.name()));
    }

    /**
     * Prints the processes of the fleet recorded in {@code layout}, with their health.
     *
     * @return 0 when a fleet runs and every process is alive and healthy, 1 otherwise
     */
    public static int status(FleetLayout layout, PrintStream out) {
        PidFile pids = new PidFile(layout.pidFile());
        List<PidFile.Entry> entries = pids.read();
        if (entries.isEmpty()) {
            out.println("No fleet is running from " + layout.home() + ".");
            return 1;
        }
        HealthWaiter http = new HealthWaiter();
        boolean allGood = true;
        out.printf("%-18s %8s  %-8s %-12s %s%n", "PROCESS", "PID", "STATE", "PORTS", "HEALTH");
        for (PidFile.Entry entry : entries) {
            boolean running = entry.process().isPresent();
            String health = "";
            boolean service = !entry.name().equals(PidFile.LAUNCHER) && !entry.name().equals(PidFile.KAFKA);
            if (running && service && !entry.ports().isEmpty()) {
                HealthWaiter.Answer answer = http.get("http://127.0.0.1:" + entry.ports().get(0) + ServiceSpec.HEALTH_PATH);
                health = HealthWaiter.isUp(answer) ? "UP" : "not healthy: " + answer;
                allGood &= HealthWaiter.isUp(answer);
            }
            allGood &= running;
            String portList = entry.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
            out.printf("%-18s %8d  %-8s %-12s %s%n", entry.name(), entry.pid(), running ? "running" : "ended",
                    portList.isEmpty() ? "-" : portList, health);
        }
        out.println("Logs: " + layout.logs() + "   Admin token: " + layout.adminTokenFile());
        return allGood ? 0 : 1;
    }

    private static String describe(List<PidFile.Entry> entries) {
        return entries.stream().map(e -> e.name() + " pid " + e.pid()).collect(Collectors.joining(", "));
    }
}
