package dev.equilibria.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each new command end to end on a tiny grid and short runs of {@code 1p2d-70b}: the reports it writes, read back.
 * The knee of that fleet sits where its two decode workers' 256 batch slots are full (about C = 580).
 */
class ExperimentSmokeTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int sim(String... args) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return SimCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), quiet);
    }

    @Test
    void sweepReportsTheIndicesAcrossConfigsAndRefinesTheKneeAgainstThePoolModels() throws IOException {
        Path report = dir.resolve("sweep");
        int rc = sim("sweep", "--concurrency", "16,1024", "--temperatures", "0,0.8", "--weights", "1",
                "--duration", "8s", "--warmup", "2s", "--refine-runs", "2", "--out", report.toString());

        assertThat(rc).isZero();
        List<Map<String, String>> spread = csv(report.resolve("spread.csv"));
        assertThat(spread).hasSize(2);
        assertThat(spread.get(0)).containsKeys("poa_hat_mean", "poa_hat_spread", "poa_hat_cv", "ttft_inflation_cv",
                "load_imbalance_cv", "ttft_p50_s_mean", "ttft_p99_s_mean", "itl_mean_s_mean", "throughput_rps_mean",
                "prefill_queue_s_mean", "decode_queue_s_mean");
        assertThat(spread.get(0).get("queue_at")).isEqualTo("none");
        assertThat(spread.get(1).get("queue_at")).isEqualTo("decode");
        assertThat(csv(report.resolve("cells.csv"))).hasSize(4);

        Map<String, String> knee = csv(report.resolve("knee.csv")).get(0);
        assertThat(knee.get("refine_runs")).isEqualTo("2");
        int lower = Integer.parseInt(knee.get("knee_lower_c"));
        int upper = Integer.parseInt(knee.get("knee_upper_c"));
        assertThat(lower).isGreaterThanOrEqualTo(16).isLessThan(upper);
        assertThat(upper).isLessThanOrEqualTo(1024);
        assertThat(upper - lower).isLessThan(1024 - 16); // the bisection narrowed the grid's bracket
        assertThat(number(knee, "predicted_knee_c")).isBetween(512.0, 700.0);
        assertThat(knee.get("bottleneck")).isEqualTo("decode");
        assertThat(number(knee, "knee_ratio")).isEqualTo(number(knee, "knee_c") / number(knee, "predicted_knee_c"),
                org.assertj.core.data.Offset.offset(0.01));

        assertThat(Files.readString(report.resolve("summary.md"))).contains("## Knee", "predicted_knee_c",
                "## Per C");
        assertThat(Files.readString(report.resolve("command.txt"))).startsWith("./fleet sim sweep --concurrency 16,1024");
        assertThat(Files.readString(report.resolve("spread.json"))).contains("\"poa_hat_cv\"");
        for (String chart : List.of("poa_hat_vs_c", "ttft_inflation_vs_c", "load_imbalance_vs_c", "ttft_p99_vs_c",
                "queue_vs_c")) {
            assertPng(report.resolve(chart + ".png"));
        }
    }

    @Test
    void repeatRunsEverySeedAndSummarisesTheSpread() throws IOException {
        Path report = dir.resolve("repeat");
        int rc = sim("repeat", "--concurrency", "32", "--seeds", "3", "--seed", "4", "--duration", "6s",
                "--warmup", "1s", "--out", report.toString());

        assertThat(rc).isZero();
        List<Map<String, String>> runs = csv(report.resolve("runs.csv"));
        assertThat(runs).extracting(r -> r.get("seed")).containsExactly("4", "5", "6");
        Map<String, String> row = csv(report.resolve("repeat.csv")).get(0);
        assertThat(row.get("seeds")).isEqualTo("3");
        double min = number(row, "ttft_p99_s_min");
        double max = number(row, "ttft_p99_s_max");
        assertThat(number(row, "ttft_p99_s_mean")).isBetween(min, max);
        assertThat(number(row, "ttft_p99_s_stdev")).isBetween(0.0, max - min + 1e-4); // the CSV rounds to 4 places
        // different seeds pick different templates: the runs are not copies of each other
        assertThat(runs.stream().map(r -> r.get("requests") + "/" + r.get("prefix_hit_rate") + "/"
                + r.get("e2e_p99_s")).distinct()).hasSizeGreaterThan(1);
        double meanThroughput = runs.stream().mapToDouble(r -> number(r, "throughput_rps")).average().orElseThrow();
        assertThat(number(row, "throughput_rps_mean")).isCloseTo(meanThroughput,
                org.assertj.core.data.Offset.offset(0.01 * meanThroughput));
        assertThat(row).containsKeys("poa_hat_stdev", "ttft_inflation_stdev", "load_imbalance_max",
                "queue_share_mean");
        assertPng(report.resolve("ttft_p99_vs_c.png"));
        assertPng(report.resolve("throughput_vs_c.png"));
    }

    @Test
    void adaptiveComparesStaticAndAdaptivePerViewUnderEverySeed() throws IOException {
        Path report = dir.resolve("adaptive");
        int rc = sim("adaptive", "--topology", "0p4d-small", "--concurrency", "64", "--views", "ledger,polled:5s",
                "--seeds", "2", "--seed", "3", "--duration", "20s", "--warmup", "10s", "--out", report.toString());

        assertThat(rc).isZero();
        List<Map<String, String>> rows = csv(report.resolve("adaptive.csv"));
        assertThat(rows).extracting(r -> r.get("view") + "/" + r.get("seed") + "/" + r.get("mode")).containsExactly(
                "in-flight ledger/3/static", "in-flight ledger/3/adaptive", "in-flight ledger/4/static",
                "in-flight ledger/4/adaptive", "polled every 5000 ms/3/static", "polled every 5000 ms/3/adaptive",
                "polled every 5000 ms/4/static", "polled every 5000 ms/4/adaptive");
        assertThat(rows).filteredOn(r -> r.get("mode").equals("adaptive"))
                .allSatisfy(r -> assertThat(number(r, "ttft_p99_gain")).isPositive());
        // the stale view herds at the knee and the controller breaks it up; with the ledger it leaves routing alone
        assertThat(rows).filteredOn(r -> r.get("mode").equals("adaptive") && r.get("view").startsWith("polled"))
                .allSatisfy(r -> assertThat(number(r, "routing_switch_s")).isBetween(0.0, 20.0));
        assertThat(rows).filteredOn(r -> r.get("view").startsWith("in-flight"))
                .allSatisfy(r -> assertThat(r.get("routing_switch_s")).isEmpty());
        assertThat(Files.readString(report.resolve("summary.md"))).contains("seeds 3-4");
        assertPng(report.resolve("ttft_p99_static_vs_adaptive.png"));
    }

    @Test
    void allocateGrowsTheSaturatedDecodePoolWithinTheBudgetAndRecordsTheSplitOverTime() throws IOException {
        Path report = dir.resolve("allocate");
        int rc = sim("allocate", "--concurrency", "1100", "--budget", "5", "--duration", "60s", "--warmup", "5s",
                "--decision-interval", "5s", "--min-dwell", "10s", "--worker-start", "5s", "--out",
                report.toString());

        assertThat(rc).isZero();
        List<Map<String, String>> timeline = csv(report.resolve("timeline.csv"));
        assertThat(timeline).hasSize(12); // every 5 s for 60 s
        assertThat(timeline).anyMatch(p -> p.get("action").equals("change"));
        Map<String, String> last = timeline.get(timeline.size() - 1);
        int p = Integer.parseInt(last.get("prefill_workers"));
        int d = Integer.parseInt(last.get("decode_workers"));
        assertThat(p + d).isLessThanOrEqualTo(5);
        assertThat(d).isGreaterThan(2);

        List<Map<String, String>> modes = csv(report.resolve("allocate.csv"));
        assertThat(modes).extracting(m -> m.get("mode"))
                .containsExactly("static", "allocator", "static at the allocator's final split");
        assertThat(number(modes.get(1), "throughput_rps")).isGreaterThan(number(modes.get(0), "throughput_rps"));
        assertThat(Files.readString(report.resolve("summary.md"))).contains("## Allocator decisions", "target ");
        for (String chart : List.of("pd_split_over_time", "demand_over_time", "ttft_p99")) {
            assertPng(report.resolve(chart + ".png"));
        }
    }

    private static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(PNG_MAGIC);
    }

    private static double number(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    /** Rows of a CSV the report wrote (no quoted commas in the columns read here). */
    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        return lines.stream().skip(1).map(line -> {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            return row;
        }).toList();
    }
}
