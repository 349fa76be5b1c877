package dev.equilibria.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.fleet.FleetOptions.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetOptionsTest {

    private static final Path ROOT = Path.of("/repo");

    private static FleetOptions parse(Map<String, String> env, String... args) {
        return FleetOptions.parse(args, env, ROOT);
    }

    @Test
    void defaultsToOnePrefillTwoDecodeOnTheBasePortsInDotFleet() {
        FleetOptions options = parse(Map.of(), "up");

        assertThat(options.command()).isEqualTo(Command.UP);
        assertThat(options.detach()).isFalse();
        assertThat(options.prefillWorkers()).isEqualTo(1);
        assertThat(options.decodeWorkers()).isEqualTo(2);
        assertThat(options.portOffset()).isZero();
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.kafkaControllerPort()).isEqualTo(9093);
        assertThat(options.layout().home()).isEqualTo(Path.of("/repo/.fleet"));
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.profile()).isEmpty();
        assertThat(options.timeScale()).isEmpty();
        assertThat(options.externalBootstrap()).isEmpty();
        assertThat(options.topology()).isEqualTo("1 prefill worker, 2 decode workers");
    }

    @Test
    void readsEveryFlagInBothSpellings() {
        FleetOptions options = parse(Map.of(), "up", "--detach", "--prefill-workers", "2", "--decode-workers=5",
                "--profile", "h100-llama70b", "--time-scale=0.5", "--port-offset", "100", "--home", "/tmp/other",
                "--timeout=30");

        assertThat(options.detach()).isTrue();
        assertThat(options.prefillWorkers()).isEqualTo(2);
        assertThat(options.decodeWorkers()).isEqualTo(5);
        assertThat(options.profile()).contains("h100-llama70b");
        assertThat(options.timeScale()).contains("0.5");
        assertThat(options.portOffset()).isEqualTo(100);
        assertThat(options.kafkaPort()).isEqualTo(9192);
        assertThat(options.kafkaControllerPort()).isEqualTo(9193);
        assertThat(options.layout().home()).isEqualTo(Path.of("/tmp/other"));
        assertThat(options.layout().root()).isEqualTo(ROOT);
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.topology()).isEqualTo("2 prefill workers, 5 decode workers");
    }

    @Test
    void shortDetachFlag() {
        assertThat(parse(Map.of(), "up", "-d").detach()).isTrue();
    }

    @Test
    void readsTheEnvironmentAndLetsFlagsWin() {
        Map<String, String> env = Map.of("EQUILIBRIA_PREFILL_WORKERS", "3", "EQUILIBRIA_DECODE_WORKERS", "4",
                "EQUILIBRIA_PORT_OFFSET", "10", "EQUILIBRIA_WORKER_PROFILE", "b200", "EQUILIBRIA_WORKER_TIME_SCALE", "2",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092");

        FleetOptions fromEnv = parse(env, "up");
        assertThat(fromEnv.prefillWorkers()).isEqualTo(3);
        assertThat(fromEnv.decodeWorkers()).isEqualTo(4);
        assertThat(fromEnv.portOffset()).isEqualTo(10);
        assertThat(fromEnv.profile()).contains("b200");
        assertThat(fromEnv.timeScale()).contains("2");
        assertThat(fromEnv.externalBootstrap()).isEqualTo(Optional.of("kafka.example:9092"));

        FleetOptions flagsWin = parse(env, "up", "--decode-workers", "1", "--port-offset", "0");
        assertThat(flagsWin.decodeWorkers()).isEqualTo(1);
        assertThat(flagsWin.portOffset()).isZero();
    }

    @Test
    void blankEnvironmentVariablesCountAsUnset() {
        FleetOptions options = parse(Map.of("KAFKA_BOOTSTRAP_SERVERS", " ", "EQUILIBRIA_PORT_OFFSET", ""), "up");

        assertThat(options.externalBootstrap()).isEmpty();
        assertThat(options.portOffset()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            down                       | DOWN
            status                     | STATUS
            help                       | HELP
            --help                     | HELP
            up --help                  | HELP
            """)
    void commands(String line, Command expected) {
        assertThat(parse(Map.of(), line.split(" ")).command()).isEqualTo(expected);
    }

    @Test
    void noArgumentsMeansHelp() {
        assertThat(parse(Map.of()).command()).isEqualTo(Command.HELP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            start                               | unknown command 'start'
            up --verbose                        | unknown option '--verbose'
            up --prefill-workers                | --prefill-workers needs a value
            up --prefill-workers --detach       | --prefill-workers needs a value
            up --decode-workers two             | --decode-workers must be a whole number, got 'two'
            up --prefill-workers 0              | at least one prefill worker
            up --decode-workers 0               | at least one decode worker
            up --port-offset -1                 | port offset must be within 0..50000, got -1
            up --port-offset 60000              | port offset must be within 0..50000
            up --time-scale fast                | --time-scale must be a number, got 'fast'
            up --time-scale 0                   | --time-scale must be a positive number
            up --timeout 0                      | the timeout must be positive
            down --detach                       | --detach only applies to up
            up --detach=yes                     | --detach takes no value
            """)
    void rejectsBadArgumentsNamingThem(String line, String message) {
        assertThatThrownBy(() -> parse(Map.of(), line.split(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsBadEnvironmentNamingTheVariable() {
        assertThatThrownBy(() -> parse(Map.of("EQUILIBRIA_DECODE_WORKERS", "many"), "up"))
                .hasMessageContaining("EQUILIBRIA_DECODE_WORKERS")
                .hasMessageContaining("many");
    }
}
