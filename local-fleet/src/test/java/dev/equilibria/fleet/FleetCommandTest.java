package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return FleetCommand.run(args, env, root, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run(Map.of(), "help")).isZero();
        assertThat(out()).contains("usage: ./fleet", "--port-offset", "KAFKA_BOOTSTRAP_SERVERS", "EQUILIBRIA_JAVA_OPTS");
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExitsWithTwo() {
        assertThat(run(Map.of(), "launch")).isEqualTo(2);
        assertThat(err()).contains("fleet: unknown command 'launch'", "usage: ./fleet");
    }

    @Test
    void downAndStatusWithNothingRunningSaySo() {
        assertThat(run(Map.of(), "down")).isZero();
        assertThat(out()).contains("No fleet is running from " + root.resolve(".fleet"));
        assertThat(run(Map.of(), "status")).isEqualTo(1);
    }

    @Test
    void upWithATakenPortNamesThePortAndTheServiceAndStartsNothing() throws Exception {
        int offset = FleetTests.freeOffset(1000, 97);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(8083 + offset));

            int code = run(Map.of(), "up", "--detach", "--port-offset", Integer.toString(offset));

            assertThat(code).isEqualTo(1);
            assertThat(err()).contains("port " + (8083 + offset) + " is already in use", "allocator-service");
            assertThat(root.resolve(".fleet/pids")).doesNotExist();
            assertThat(root.resolve(".fleet/logs/kafka.log")).doesNotExist();
        }
    }

    @Test
    void upWithoutBuiltServicesSaysWhatToBuild() {
        int offset = FleetTests.freeOffset(1000, 97);

        int code = run(Map.of(), "up", "--port-offset", Integer.toString(offset));

        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("missing executable jars", "gateway-service/target/gateway-service-<version>-exec.jar",
                "./mvnw -DskipTests package");
        assertThat(root.resolve(".fleet/pids")).doesNotExist();
    }
}
