package dev.equilibria.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One of the five services of a local fleet: its module, its port and the environment it is started with.
 *
 * @param name the module name, which also names its log file
 * @param port the HTTP port ({@code SERVER_PORT})
 * @param env  variables set on top of the launcher's own environment
 */
public record ServiceSpec(String name, int port, Map<String, String> env) {

    public static final String GATEWAY = "gateway-service";
    public static final String PREFILL = "prefill-service";
    public static final String DECODE = "decode-service";
    public static final String ALLOCATOR = "allocator-service";
    public static final String MONITOR = "monitor-service";

    /** Base ports, before the offset; in start order. */
    public static final Map<String, Integer> BASE_PORTS = basePorts();

    public static final String HEALTH_PATH = "/actuator/health";

    /** {@code equilibria.allocator.time-scale} and {@code equilibria.monitor.time-scale}, by relaxed binding. */
    public static final String ENV_ALLOCATOR_TIME_SCALE = "EQUILIBRIA_ALLOCATOR_TIMESCALE";
    public static final String ENV_MONITOR_TIME_SCALE = "EQUILIBRIA_MONITOR_TIMESCALE";
    /** {@code equilibria.monitor.scrape-targets}: the other four services' metrics, on this fleet's ports. */
    public static final String ENV_MONITOR_SCRAPE_TARGETS = "EQUILIBRIA_MONITOR_SCRAPETARGETS";

    public ServiceSpec {
        env = Map.copyOf(env);
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
        return BASE_PORTS.entrySet().stream().map(entry -> {
            String name = entry.getKey();
            int port = entry.getValue() + options.portOffset();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("SERVER_PORT", Integer.toString(port));
            env.put("EQUILIBRIA_ADMIN_TOKEN", adminToken);
            if (name.equals(PREFILL) || name.equals(DECODE)) {
                boolean prefill = name.equals(PREFILL);
                env.put("EQUILIBRIA_WORKER_COUNT",
                        Integer.toString(prefill ? options.prefillWorkers() : options.decodeWorkers()));
                // set explicitly: one inherited prefix would give both pools the same worker ids
                env.put("EQUILIBRIA_WORKER_ID_PREFIX", prefill ? "prefill" : "decode");
                options.profile().ifPresent(p -> env.put(FleetOptions.ENV_PROFILE, p));
                options.timeScale().ifPresent(t -> env.put(FleetOptions.ENV_TIME_SCALE, t));
            }
            // the allocator's pool models and the monitor's thresholds are in GPU time: they must know the scale
            if (name.equals(ALLOCATOR)) {
                options.timeScale().ifPresent(t -> env.put(ENV_ALLOCATOR_TIME_SCALE, t));
            }
            if (name.equals(MONITOR)) {
                options.timeScale().ifPresent(t -> env.put(ENV_MONITOR_TIME_SCALE, t));
                // its default targets are the unshifted ports, which on a shifted fleet are someone else's
                env.put(ENV_MONITOR_SCRAPE_TARGETS, scrapeTargets(options.portOffset()));
            }
            return new ServiceSpec(name, port, env);
        }).toList();
    }

    private static String scrapeTargets(int portOffset) {
        return BASE_PORTS.entrySet().stream().filter(e -> !e.getKey().equals(MONITOR))
                .map(e -> "http://127.0.0.1:" + (e.getValue() + portOffset) + "/actuator/prometheus")
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
        return findExecutableJar(root, name);
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
