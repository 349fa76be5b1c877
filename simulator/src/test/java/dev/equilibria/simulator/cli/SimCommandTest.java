package dev.equilibria.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Option parsing, --help and errors of {@code ./fleet sim}, without running a simulation. */
class SimCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int sim(String... args) {
        return SimCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryExperimentIncludingRepeatAndAllocate() {
        assertThat(sim("help")).isZero();
        assertThat(out()).contains("sweep:", "repeat:", "adaptive:", "allocate:", "policies:", "replay:",
                "--topology", "--kv-admission");
    }

    @Test
    void eachNewCommandHasItsOwnHelpWithDefaults() {
        assertThat(sim("repeat", "--help")).isZero();
        assertThat(out()).contains("--seeds N", "(default 3)", "--concurrency LIST", "--temperature", "--weight",
                "common options:", "--seed N");
        out.reset();
        assertThat(sim("allocate", "--help")).isZero();
        assertThat(out()).contains("--budget N", "(default 2x the topology's workers)", "--min-dwell D",
                "(default 300s)", "--decision-interval D", "(default 10s)", "--max-step N", "--worker-start D",
                "pd_split_over_time.png");
        out.reset();
        assertThat(sim("sweep", "--help")).isZero();
        assertThat(out()).contains("--refine-runs N", "(default 4)", "knee", "ttft_inflation_vs_c",
                "--output-spread N", "(default 0: fixed)");
    }

    @Test
    void badValuesAreRejectedWithTheOptionNamedAndNoReportWritten() {
        assertThat(sim("repeat", "--seeds", "0", "--out", "target/never-written")).isEqualTo(2);
        assertThat(err()).contains("sim repeat: --seeds must be at least 1");
        err.reset();
        assertThat(sim("allocate", "--budget", "2", "--topology", "1p2d-70b", "--out", "target/never-written"))
                .isEqualTo(2);
        assertThat(err()).contains("--budget must be at least the topology's 3 workers");
        err.reset();
        assertThat(sim("sweep", "--refine-runs", "many")).isEqualTo(2);
        assertThat(err()).contains("--refine-runs must be an integer, got 'many'");
        err.reset();
        assertThat(sim("allocate", "--min-dwell", "soon")).isEqualTo(2);
        assertThat(err()).contains("--min-dwell must be a duration");
        err.reset();
        assertThat(sim("sweep", "--output-spread", "128", "--out", "target/never-written")).isEqualTo(2);
        assertThat(err()).contains("--output-spread must be from 0 to 127 (below --output-tokens), got 128");
        err.reset();
        assertThat(sim("adaptive", "--seeds", "0", "--out", "target/never-written")).isEqualTo(2);
        assertThat(err()).contains("--seeds must be at least 1, got 0");
        err.reset();
        assertThat(sim("adaptive", "--refuse-when-full", "yes", "--out", "target/never-written")).isEqualTo(2);
        assertThat(err()).contains("--refuse-when-full must be true or false, got 'yes'");
        err.reset();
        assertThat(sim("sweep", "--view", "gossip")).isEqualTo(2);
        assertThat(err()).contains("--view must be ledger");
        assertThat(java.nio.file.Path.of("target/never-written")).doesNotExist();
    }

    @Test
    void anUnknownExperimentPrintsTheUsage() {
        assertThat(sim("bisect")).isEqualTo(2);
        assertThat(err()).contains("unknown experiment 'bisect'", "experiments:");
    }

    @Test
    void optionsParseAsNameValueOrNameEqualsValueOrFlags() {
        SimOptions o = new SimOptions(new String[] {"sweep", "--concurrency", "8,16", "--seed=5", "--spread-bursts"},
                1);
        assertThat(o.integers("concurrency", "1")).containsExactly(8, 16);
        assertThat(o.longValue("seed", 1)).isEqualTo(5);
        assertThat(o.string("spread-bursts", "false")).isEqualTo("true");
        assertThat(o.duration("min-dwell", java.time.Duration.ofSeconds(3))).hasSeconds(3);
        assertThat(SimOptions.parseDuration("d", "500ms")).hasMillis(500);
        assertThat(SimOptions.parseDuration("d", "2m")).hasSeconds(120);
        assertThat(new SimOptions(new String[] {"x", "--typo", "1"}, 1).unknown()).containsExactly("typo");
    }
}
