package dev.equilibria.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code ./fleet} invocation asked for: the command and its options, read from the arguments first and
 * the environment second.
 *
 * @param command           what to do
 * @param detach            {@code up} returns once the fleet is healthy instead of running until Ctrl-C
 * @param prefillWorkers    workers hosted by prefill-service
 * @param decodeWorkers     workers hosted by decode-service
 * @param profile           engine profile passed to the workers, when given
 * @param timeScale         simulated-engine time scale passed to the workers, when given
 * @param portOffset        added to every port, services and Kafka alike, so a second fleet can run beside the first
 * @param layout            repository root and fleet home
 * @param readyTimeout      how long {@code up} waits for the services to become healthy
 * @param externalBootstrap an existing Kafka to use instead of starting one ({@code KAFKA_BOOTSTRAP_SERVERS})
 * @param extraWorkerProcesses worker service processes started beside prefill-service and decode-service (none
 *                          from the command line; fault tests add them with {@link #withExtraWorkerProcesses})
 * @param serviceEnvironment variables for one service process only, by process name, set last (none from the
 *                          command line; tests add them with {@link #withServiceEnvironment}), for settings that
 *                          several services share a name for, such as the workers' {@code equilibria.worker.engine.*}
 */
public record FleetOptions(Command command, boolean detach, int prefillWorkers, int decodeWorkers,
                           Optional<String> profile, Optional<String> timeScale, int portOffset, FleetLayout layout,
                           Duration readyTimeout, Optional<String> externalBootstrap,
                           List<ExtraWorkerProcess> extraWorkerProcesses,
                           Map<String, Map<String, String>> serviceEnvironment) {

    /** The sub-commands of {@code ./fleet} this launcher serves. */
    public enum Command {
        UP, DOWN, STATUS, HELP
    }

    /** The paper's smallest topology: one prefill worker, two decode workers. */
    public static final int DEFAULT_PREFILL_WORKERS = 1;
    public static final int DEFAULT_DECODE_WORKERS = 2;
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);
    /** Keeps every offset port (8080..8084, 9092, 9093 plus the offset) a valid, unprivileged port. */
    public static final int MAX_PORT_OFFSET = 50000;

    public static final String ENV_PREFILL_WORKERS = "EQUILIBRIA_PREFILL_WORKERS";
    public static final String ENV_DECODE_WORKERS = "EQUILIBRIA_DECODE_WORKERS";
    public static final String ENV_PROFILE = "EQUILIBRIA_WORKER_PROFILE";
    public static final String ENV_TIME_SCALE = "EQUILIBRIA_WORKER_TIME_SCALE";
    public static final String ENV_PORT_OFFSET = "EQUILIBRIA_PORT_OFFSET";
    public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

    public FleetOptions {
        if (prefillWorkers < 1) {
            throw new IllegalArgumentException("the fleet needs at least one prefill worker, got " + prefillWorkers);
        }
        if (decodeWorkers < 1) {
            throw new IllegalArgumentException("the fleet needs at least one decode worker, got " + decodeWorkers);
        }
        if (portOffset < 0 || portOffset > MAX_PORT_OFFSET) {
            throw new IllegalArgumentException("the port offset must be within 0.." + MAX_PORT_OFFSET + ", got " + portOffset);
        }
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + readyTimeout.toSeconds() + " s");
        }
        extraWorkerProcesses = List.copyOf(extraWorkerProcesses);
        if (extraWorkerProcesses.stream().map(ExtraWorkerProcess::idPrefix).distinct().count()
                < extraWorkerProcesses.size()) {
            throw new IllegalArgumentException("extra worker processes need distinct worker id prefixes");
        }
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        serviceEnvironment.forEach((name, vars) -> copy.put(name, Map.copyOf(vars)));
        serviceEnvironment = Collections.unmodifiableMap(copy);
    }

    /** These options with {@code extra} worker processes besides the fleet's own (ports from 8085 + offset). */
    public FleetOptions withExtraWorkerProcesses(List<ExtraWorkerProcess> extra) {
        return new FleetOptions(command, detach, prefillWorkers, decodeWorkers, profile, timeScale, portOffset, layout,
                readyTimeout, externalBootstrap, extra, serviceEnvironment);
    }

    /**
     * These options with {@code vars} added to the environment of the process named {@code service} only (one of
     * the five services, or an extra worker process's name such as {@code decode-service-2}); for example
     * {@code EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS} for decode-service's workers and not prefill-service's.
     */
    public FleetOptions withServiceEnvironment(String service, Map<String, String> vars) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(serviceEnvironment);
        Map<String, String> merged = new LinkedHashMap<>(all.getOrDefault(service, Map.of()));
        merged.putAll(vars);
        all.put(service, merged);
        return new FleetOptions(command, detach, prefillWorkers, decodeWorkers, profile, timeScale, portOffset, layout,
                readyTimeout, externalBootstrap, extraWorkerProcesses, all);
    }

    public static final String USAGE = """
            usage: ./fleet <command> [options]

            commands:
              up [--detach]   build what is missing, start Kafka and the five services (1 prefill worker,
                              2 decode workers by default), wait until healthy; runs until Ctrl-C
              down            stop the fleet started from this folder (detached or not); no process stays behind
              status          list the fleet's processes with their pids, ports and health
              bench           send a workload to the running gateway and report TTFT, ITL, throughput
                              and goodput (./fleet bench --help lists its options)
              sim EXPERIMENT  run an experiment on the simulated fleet (./fleet sim help lists them)

            options:
              -d, --detach             (up) return once the fleet is healthy; stop it later with ./fleet down
              --prefill-workers N      workers in prefill-service      (env EQUILIBRIA_PREFILL_WORKERS, default 1)
              --decode-workers N       workers in decode-service       (env EQUILIBRIA_DECODE_WORKERS, default 2)
              --profile NAME           engine profile of the workers   (env EQUILIBRIA_WORKER_PROFILE)
              --time-scale X           simulated-engine time scale     (env EQUILIBRIA_WORKER_TIME_SCALE)
              --port-offset N          added to every port: services 8080-8084, Kafka 9092/9093
                                       (env EQUILIBRIA_PORT_OFFSET, default 0)
              --home DIR               logs, pids, admin token, Kafka storage (default <repository>/.fleet)
              --timeout SECONDS        how long up waits for the services to become healthy (default 120)

            environment:
              KAFKA_BOOTSTRAP_SERVERS     use this Kafka instead of starting one
              EQUILIBRIA_ADMIN_TOKEN      bearer token of the /admin endpoints (generated when unset)
              EQUILIBRIA_JAVA_OPTS        extra JVM options of the services, e.g. -Xmx512m
              EQUILIBRIA_KAFKA_JAVA_OPTS  extra JVM options of the local broker
            """;

    /** Kafka's client port for this offset. */
    public int kafkaPort() {
        return 9092 + portOffset;
    }

    /** Kafka's controller port for this offset. */
    public int kafkaControllerPort() {
        return 9093 + portOffset;
    }

    /**
     * Reads the arguments after the launcher's name; flags win over the environment.
     *
     * @param root the repository root, the default home's parent
     * @throws IllegalArgumentException naming the bad argument
     */
    public static FleetOptions parse(String[] args, Map<String, String> env, Path root) {
        Command command = Command.HELP;
        int first = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = switch (args[0]) {
                case "up" -> Command.UP;
                case "down" -> Command.DOWN;
                case "status" -> Command.STATUS;
                case "help" -> Command.HELP;
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
            first = 1;
        }
        boolean detach = false;
        int prefill = intFromEnv(env, ENV_PREFILL_WORKERS, DEFAULT_PREFILL_WORKERS);
        int decode = intFromEnv(env, ENV_DECODE_WORKERS, DEFAULT_DECODE_WORKERS);
        String profile = blankToNull(env.get(ENV_PROFILE));
        String timeScale = blankToNull(env.get(ENV_TIME_SCALE));
        int portOffset = intFromEnv(env, ENV_PORT_OFFSET, 0);
        Path home = null;
        Duration timeout = DEFAULT_READY_TIMEOUT;

        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-d", "--detach" -> {
                    if (inline != null) {
                        throw new IllegalArgumentException("--detach takes no value");
                    }
                    detach = true;
                }
                case "-h", "--help" -> command = Command.HELP;
                case "--prefill-workers" -> prefill = parseInt(name, inline != null ? inline : value(args, ++i, name));
                case "--decode-workers" -> decode = parseInt(name, inline != null ? inline : value(args, ++i, name));
                case "--profile" -> profile = inline != null ? inline : value(args, ++i, name);
                case "--time-scale" -> timeScale = inline != null ? inline : value(args, ++i, name);
                case "--port-offset" -> portOffset = parseInt(name, inline != null ? inline : value(args, ++i, name));
                case "--home" -> home = Path.of(inline != null ? inline : value(args, ++i, name));
                case "--timeout" -> timeout = Duration.ofSeconds(
                        parseInt(name, inline != null ? inline : value(args, ++i, name)));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (detach && command != Command.UP) {
            throw new IllegalArgumentException("--detach only applies to up");
        }
        if (timeScale != null) {
            checkTimeScale(timeScale);
        }
        FleetLayout layout = home == null ? FleetLayout.of(root) : new FleetLayout(root, home);
        return new FleetOptions(command, detach, prefill, decode, Optional.ofNullable(profile),
                Optional.ofNullable(timeScale), portOffset, layout, timeout,
                Optional.ofNullable(blankToNull(env.get(ENV_BOOTSTRAP))), List.of(), Map.of());
    }

    private static void checkTimeScale(String value) {
        double scale;
        try {
            scale = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--time-scale must be a number, got '" + value + "'");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--time-scale must be a positive number, got '" + value + "'");
        }
    }

    private static String value(String[] args, int index, String name) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index];
    }

    private static int intFromEnv(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + " must be a whole number, got '" + value + "'");
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A short description of the topology, e.g. {@code 1 prefill worker, 2 decode workers}. */
    public String topology() {
        String own = String.format(Locale.ROOT, "%d prefill worker%s, %d decode worker%s", prefillWorkers,
                prefillWorkers == 1 ? "" : "s", decodeWorkers, decodeWorkers == 1 ? "" : "s");
        StringBuilder extra = new StringBuilder();
        for (ExtraWorkerProcess p : extraWorkerProcesses) {
            extra.append(String.format(Locale.ROOT, " + %d %s worker%s (%s-*) in another process", p.workers(),
                    p.module().equals(ServiceSpec.PREFILL) ? "prefill" : "decode", p.workers() == 1 ? "" : "s",
                    p.idPrefix()));
        }
        return own + extra;
    }
}
