package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.fleet.FleetCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int fleet(String... args) {
        return FleetCommand.run(args, Map.of(), root, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void benchHelpListsItsOptions() {
        assertThat(fleet("bench", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: ./fleet bench", "--slo-ttft-ms",
                "--concurrency", "--workload");
    }

    @Test
    void withoutARunningFleetOrUrlItSaysHowToStartOne() {
        assertThat(fleet("bench", "--requests", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no running fleet in " + root.resolve(".fleet"),
                "./fleet up --detach", "--url");
    }

    @Test
    void aBadOptionIsUsageErrorTwo() {
        assertThat(fleet("bench", "--concurrency", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--concurrency must be a whole number");
    }

    @Test
    void theFleetUsageMentionsBench() {
        assertThat(fleet("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("bench", "./fleet bench --help");
    }
}
