package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessIT {

    @TempDir
    Path dir;

    private ServiceProcess start(String name, Class<?> main, String... args) {
        return ServiceProcess.start(name, JavaCommand.main(main.getName(), List.of("-Xmx32m"), List.of(args)),
                Map.of(), dir, dir.resolve("logs").resolve(name + ".log"), List.of());
    }

    @Test
    void aServiceThatDiesBeforeItIsHealthyIsNamedWithItsExitCodeAndTheEndOfItsLog() {
        ServiceProcess dying = start("monitor-service", TestMains.Exiting.class, "3");
        Map<ServiceProcess, String> health = new LinkedHashMap<>();
        health.put(dying, "http://127.0.0.1:1/actuator/health");

        assertThatThrownBy(() -> new HealthWaiter(Duration.ofMillis(100)).awaitHealthy(health, Duration.ofSeconds(60)))
                .isInstanceOf(FleetException.class)
                .hasMessageContaining("monitor-service exited with code 3 before it became healthy")
                .hasMessageContaining("line 30")
                .hasMessageContaining("line 11")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("line 10\n").contains(
                        "Full log: " + dir.resolve("logs/monitor-service.log")));
    }

    @Test
    void aServiceThatIsNotHealthyInTimeIsNamedWithTheLastAnswer() {
        ServiceProcess sleeping = start("allocator-service", TestMains.Sleeping.class);
        try {
            Map<ServiceProcess, String> health = Map.of(sleeping, "http://127.0.0.1:1/actuator/health");

            assertThatThrownBy(() -> new HealthWaiter(Duration.ofMillis(100)).awaitHealthy(health, Duration.ofSeconds(1)))
                    .hasMessageContaining("allocator-service was not healthy within 1 s")
                    .hasMessageContaining("no answer")
                    .hasMessageContaining("allocator-service.log");
        } finally {
            sleeping.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void stopsGracefullyWithSigtermKeepingThePidOfTheJavaProcess() throws Exception {
        ServiceProcess sleeping = start("sleeper", TestMains.Sleeping.class);
        awaitLog(sleeping, "sleeping");
        // started through setsid where it exists: the pid must still be the JVM's own
        assertThat(sleeping.handle().info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("java"));

        assertThat(sleeping.stop(Duration.ofSeconds(10))).isTrue();

        assertThat(sleeping.isAlive()).isFalse();
        assertThat(Files.readString(sleeping.log())).contains("stopping on request");
    }

    @Test
    void killsWhatDoesNotStopInTime() throws Exception {
        ServiceProcess stubborn = start("stubborn", TestMains.Stubborn.class);
        awaitLog(stubborn, "stubborn");

        List<ProcessHandle> killed = ServiceProcess.stopAll(List.of(stubborn.handle()), Duration.ofSeconds(1));

        assertThat(killed).containsExactly(stubborn.handle());
        assertThat(stubborn.isAlive()).isFalse();
    }

    private static void awaitLog(ServiceProcess process, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(process.log()) && Files.readString(process.log()).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(process + " never logged '" + text + "': " + process.logTail(20));
    }
}
