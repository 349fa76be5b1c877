package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSpecTest {

    @TempDir
    Path root;

    @Test
    void fiveServicesOnTheirPortsWithKafkaAndTheToken() {
        FleetOptions options = FleetOptions.parse(new String[] {"up"}, Map.of(), root);

        List<ServiceSpec> specs = ServiceSpec.fleet(options, "127.0.0.1:9092", "tok");

        assertThat(specs).extracting(ServiceSpec::name).containsExactly("gateway-service", "prefill-service",
                "decode-service", "allocator-service", "monitor-service");
        assertThat(specs).extracting(ServiceSpec::port).containsExactly(8080, 8081, 8082, 8083, 8084);
        assertThat(specs).allSatisfy(spec -> {
            assertThat(spec.env()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
                    .containsEntry("SERVER_PORT", Integer.toString(spec.port()))
                    .containsEntry("EQUILIBRIA_ADMIN_TOKEN", "tok");
            assertThat(spec.healthUrl()).isEqualTo("http://127.0.0.1:" + spec.port() + "/actuator/health");
        });
    }

    @Test
    void workersGetTheirCountsAndPrefixesAndOnlyTheyGetWorkerSettings() {
        FleetOptions options = FleetOptions.parse(new String[] {"up", "--prefill-workers", "2", "--decode-workers", "3",
                "--profile", "b200", "--time-scale", "0.25", "--port-offset", "100"}, Map.of(), root);

        Map<String, ServiceSpec> byName = ServiceSpec.fleet(options, "k:1", "t").stream()
                .collect(java.util.stream.Collectors.toMap(ServiceSpec::name, s -> s));

        assertThat(byName.get("prefill-service").env()).containsEntry("EQUILIBRIA_WORKER_COUNT", "2")
                .containsEntry("EQUILIBRIA_WORKER_ID_PREFIX", "prefill")
                .containsEntry("EQUILIBRIA_WORKER_PROFILE", "b200")
                .containsEntry("EQUILIBRIA_WORKER_TIME_SCALE", "0.25")
                .containsEntry("SERVER_PORT", "8181");
        assertThat(byName.get("decode-service").env()).containsEntry("EQUILIBRIA_WORKER_COUNT", "3")
                .containsEntry("EQUILIBRIA_WORKER_ID_PREFIX", "decode")
                .containsEntry("SERVER_PORT", "8182");
        assertThat(byName.get("gateway-service").env()).doesNotContainKeys("EQUILIBRIA_WORKER_COUNT",
                "EQUILIBRIA_WORKER_PROFILE", "EQUILIBRIA_WORKER_TIME_SCALE");
        assertThat(byName.get("gateway-service").port()).isEqualTo(8180);
        // the allocator's models and the monitor's thresholds convert wall-clock time to GPU time with it
        assertThat(byName.get("allocator-service").env()).containsEntry(ServiceSpec.ENV_ALLOCATOR_TIME_SCALE, "0.25")
                .doesNotContainKeys("EQUILIBRIA_WORKER_COUNT", "EQUILIBRIA_WORKER_TIME_SCALE");
        assertThat(byName.get("monitor-service").env()).containsEntry(ServiceSpec.ENV_MONITOR_TIME_SCALE, "0.25")
                .containsEntry(ServiceSpec.ENV_MONITOR_SCRAPE_TARGETS, "http://127.0.0.1:8180/actuator/prometheus,"
                        + "http://127.0.0.1:8181/actuator/prometheus,http://127.0.0.1:8182/actuator/prometheus,"
                        + "http://127.0.0.1:8183/actuator/prometheus");
        assertThat(byName.get("gateway-service").env()).doesNotContainKeys(ServiceSpec.ENV_ALLOCATOR_TIME_SCALE,
                ServiceSpec.ENV_MONITOR_TIME_SCALE);
    }

    @Test
    void aServicesOwnEnvironmentReachesThatProcessOnly() {
        FleetOptions options = FleetOptions.parse(new String[] {"up"}, Map.of(), root)
                .withExtraWorkerProcesses(List.of(ExtraWorkerProcess.decode(1, "decode-x")))
                .withServiceEnvironment(ServiceSpec.DECODE, Map.of("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS", "4"))
                .withServiceEnvironment(ServiceSpec.DECODE, Map.of("EQUILIBRIA_WORKER_ENGINE_NUMBLOCKS", "900"))
                .withServiceEnvironment("decode-service-2", Map.of("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS", "8"));

        Map<String, ServiceSpec> byName = ServiceSpec.fleet(options, "k:1", "t").stream()
                .collect(java.util.stream.Collectors.toMap(ServiceSpec::name, s -> s));

        assertThat(byName.get("decode-service").env()).containsEntry("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS", "4")
                .containsEntry("EQUILIBRIA_WORKER_ENGINE_NUMBLOCKS", "900")
                .containsEntry("EQUILIBRIA_WORKER_ID_PREFIX", "decode");
        assertThat(byName.get("decode-service-2").env()).containsEntry("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS", "8")
                .doesNotContainKey("EQUILIBRIA_WORKER_ENGINE_NUMBLOCKS");
        assertThat(byName.get("prefill-service").env()).doesNotContainKeys("EQUILIBRIA_WORKER_ENGINE_MAXNUMSEQS",
                "EQUILIBRIA_WORKER_ENGINE_NUMBLOCKS");
    }

    @Test
    void withoutProfileOrTimeScaleTheWorkersKeepTheirOwnDefaults() {
        FleetOptions options = FleetOptions.parse(new String[] {"up"}, Map.of(), root);

        assertThat(ServiceSpec.fleet(options, "k:1", "t")).allSatisfy(spec -> assertThat(spec.env())
                .doesNotContainKeys("EQUILIBRIA_WORKER_PROFILE", "EQUILIBRIA_WORKER_TIME_SCALE",
                        ServiceSpec.ENV_ALLOCATOR_TIME_SCALE, ServiceSpec.ENV_MONITOR_TIME_SCALE));
    }

    @Test
    void findsTheNewestExecutableJarAndIgnoresThePlainOne() throws Exception {
        Path target = Files.createDirectories(root.resolve("gateway-service/target"));
        Files.createFile(target.resolve("gateway-service-0.1.0-SNAPSHOT.jar"));
        Path old = Files.createFile(target.resolve("gateway-service-0.0.9-exec.jar"));
        Files.setLastModifiedTime(old, FileTime.fromMillis(1_000));
        Path current = Files.createFile(target.resolve("gateway-service-0.1.0-SNAPSHOT-exec.jar"));

        assertThat(ServiceSpec.findExecutableJar(root, "gateway-service")).contains(current);
        assertThat(ServiceSpec.findExecutableJar(root, "monitor-service")).isEqualTo(Optional.empty());
    }
}
