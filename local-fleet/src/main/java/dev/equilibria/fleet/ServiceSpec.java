package dev.equilibria.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One service process of a local fleet: its module, its port and the environment it is started with.
 *
 * @param name   names the process, its log file and its pid-file entry: the module name for the five services,
 *               {@code <module>-2}, {@code -3}, ... for extra worker processes
 * @param module the Maven module whose executable jar it runs
 * @param port   the HTTP port ({@code SERVER_PORT})
 * @param env    variables set on top of the launcher's own environment
 */
public record ServiceSpec(String name, String module, int port, Map<String, String> env) {

    public static final String GATEWAY = "gateway-service";
    public static final String PREFILL = "prefill-service";
    public static final String DECODE = "decode-service";
    public static final String ALLOCATOR = "allocator-service";
    public static final String MONITOR = "monitor-service";

    /** Base ports, before the offset; in start order. */
    public static final Map<String, Integer> BASE_PORTS = basePorts();

    public static final String HEALTH_PATH = "/actuator/health";

    /** Extra worker processes listen from this port on (plus the offset), one each, in the order given. */
    public static final int EXTRA_BASE_PORT = 8085;
    /** {@code equilibria.allocator.time-scale} and {@code equilibria.monitor.time-scale}, by relaxed binding. */
    public static final String ENV_ALLOCATOR_TIME_SCALE = "EQUILIBRIA_ALLOCATOR_TIMESCALE";
    public static final String ENV_MONITOR_TIME_SCALE = "EQUILIBRIA_MONITOR_TIMESCALE";
    /** {@code equilibria.monitor.scrape-targets}: the other four services' metrics, on this fleet's ports. */
    public static final String ENV_MONITOR_SCRAPE_TARGETS = "EQUILIBRIA_MONITOR_SCRAPETARGETS";

    public ServiceSpec {
        env = Map.copyOf(env);
    }

    /** One of the five services: the process is named after its module. */
    public ServiceSpec(String name, int port, Map<String, String> env) {
        this(name, name, port, env);
    }

    private static Map<String, Integer> basePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(GATEWAY, 8080);
        ports.put(PREFILL, 8081);
        ports.put(DECODE, 8082);
        ports.put(ALLOCATOR, 8083);
        ports.put(MONITOR, 8084);
        return Collections.unmodifiableMap(ports);
    }

    /**
     * The five services of a fleet with the given options.
     *
     * @param bootstrap  the Kafka the services connect to
     * @param adminToken the bearer token of their admin endpoints
     */
    public static List<ServiceSpec> fleet(FleetOptions options, String bootstrap, String adminToken) {
        List<ServiceSpec> specs = new ArrayList<>();
        BASE_PORTS.forEach((name, basePort) -> {
            int port = basePort + options.portOffset();
            Map<String, String> env = common(bootstrap, port, adminToken);
            if (name.equals(PREFILL) || name.equals(DECODE)) {
                boolean prefill = name.equals(PREFILL);
                // set explicitly: one inherited prefix would give both pools the same worker ids
                workerEnv(env, options, prefill ? options.prefillWorkers() : options.decodeWorkers(),
                        prefill ? "prefill" : "decode");
            }
            // the allocator's pool models and the monitor's thresholds are in GPU time: they must know the scale
            if (name.equals(ALLOCATOR)) {
                options.timeScale().ifPresent(t -> env.put(ENV_ALLOCATOR_TIME_SCALE, t));
            }
            if (name.equals(MONITOR)) {
                options.timeScale().ifPresent(t -> env.put(ENV_MONITOR_TIME_SCALE, t));
                // its default targets are the unshifted ports, which on a shifted fleet are someone else's
                env.put(ENV_MONITOR_SCRAPE_TARGETS, scrapeTargets(options));
            }
            env.putAll(options.serviceEnvironment().getOrDefault(name, Map.of()));
            specs.add(new ServiceSpec(name, port, env));
        });
        List<ExtraWorkerProcess> extras = options.extraWorkerProcesses();
        for (int i = 0; i < extras.size(); i++) {
            ExtraWorkerProcess extra = extras.get(i);
            int port = extraPort(options, i);
            Map<String, String> env = common(bootstrap, port, adminToken);
            workerEnv(env, options, extra.workers(), extra.idPrefix());
            String name = extraName(extras, i);
            env.putAll(options.serviceEnvironment().getOrDefault(name, Map.of()));
            specs.add(new ServiceSpec(name, extra.module(), port, env));
        }
        return List.copyOf(specs);
    }

    /** The port of the {@code index}-th extra worker process. */
    public static int extraPort(FleetOptions options, int index) {
        return EXTRA_BASE_PORT + index + options.portOffset();
    }

    /** {@code decode-service-2} for the first extra decode-service process, and so on per module. */
    static String extraName(List<ExtraWorkerProcess> extras, int index) {
        String module = extras.get(index).module();
        long before = extras.subList(0, index).stream().filter(e -> e.module().equals(module)).count();
        return module + "-" + (before + 2);
    }

    private static Map<String, String> common(String bootstrap, int port, String adminToken) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("EQUILIBRIA_ADMIN_TOKEN", adminToken);
        return env;
    }

    private static void workerEnv(Map<String, String> env, FleetOptions options, int workers, String idPrefix) {
        env.put("EQUILIBRIA_WORKER_COUNT", Integer.toString(workers));
        env.put("EQUILIBRIA_WORKER_ID_PREFIX", idPrefix);
        options.profile().ifPresent(p -> env.put(FleetOptions.ENV_PROFILE, p));
        options.timeScale().ifPresent(t -> env.put(FleetOptions.ENV_TIME_SCALE, t));
    }

    private static String scrapeTargets(FleetOptions options) {
        Stream<Integer> basePorts = BASE_PORTS.entrySet().stream().filter(e -> !e.getKey().equals(MONITOR))
                .map(e -> e.getValue() + options.portOffset());
        Stream<Integer> extraPorts = IntStream.range(0, options.extraWorkerProcesses().size())
                .mapToObj(i -> extraPort(options, i));
        return Stream.concat(basePorts, extraPorts).map(port -> "http://127.0.0.1:" + port + "/actuator/prometheus")
                .collect(Collectors.joining(","));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String healthUrl() {
        return baseUrl() + HEALTH_PATH;
    }

    /** The module's Spring Boot executable jar, {@code <module>/target/<module>-<version>-exec.jar}, newest first. */
    public Optional<Path> executableJar(Path root) {
        return findExecutableJar(root, module);
    }

    static Optional<Path> findExecutableJar(Path root, String module) {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String file = p.getFileName().toString();
                return file.startsWith(module + "-") && file.endsWith("-exec.jar") && Files.isRegularFile(p);
            }).max(Comparator.comparing(ServiceSpec::lastModified));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target, e);
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
