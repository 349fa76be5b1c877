package dev.equilibria.simulator.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.simulator.cli.SimCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The knee {@code sweep} finds (grid, then bisection on C) is within one grid step of the knee the allocator's pool
 * models predict ({@code CapacityPrediction}: the binding pool's largest rate times the response time at capacity),
 * on {@code 1p2d-small} (Llama-3.1-8B on H100, 16 sequences per worker) with the paper's 5 x 128-token templates:
 *
 * <ul>
 *   <li>128 output tokens: decode binds (2 x 16 batch slots, about 31 req/s), predicted knee C = 32;</li>
 *   <li>4 output tokens: prefill binds (one worker's 16-sequence batches, about 460 req/s), predicted knee C = 27.</li>
 * </ul>
 *
 * Both used to miss in ways this test would have caught: the sweep counted only requests that also arrived in the
 * measured window (throughput low by the in-flight share, so the knee estimate high), kept its estimate inside the
 * bracket of the 10 % queueing crossing (which lies past the knee), and counted waiting for the running step to end
 * as queueing (so a prefill-bound loop read as past its knee at C = 8).
 */
class KneeMatchesCapacityModelTest {

    private static final String GRID = "16,24,32,40,48";
    private static final int GRID_STEP = 8;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} output tokens: {1} binds")
    @CsvSource({"128, decode", "4, prefill"})
    void theSweepsKneeIsWithinOneGridStepOfThePoolModels(int outputTokens, String bottleneck) throws IOException {
        Path report = dir.resolve("sweep-" + outputTokens);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = SimCommand.run(new String[] {"sweep", "--topology", "1p2d-small", "--concurrency", GRID,
                "--output-tokens", String.valueOf(outputTokens), "--temperatures", "0", "--weights", "1",
                "--duration", "30s", "--warmup", "5s", "--refine-runs", "3", "--out", report.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(rc).as(out.toString(StandardCharsets.UTF_8)).isZero();
        Map<String, String> knee = csv(report.resolve("knee.csv")).get(0);
        String figures = "knee.csv: " + knee;
        System.out.println(outputTokens + " output tokens, " + figures);
        double measured = Double.parseDouble(knee.get("knee_c"));
        double predicted = Double.parseDouble(knee.get("predicted_knee_c"));
        assertThat(knee.get("bottleneck")).as(figures).isEqualTo(bottleneck);
        assertThat(knee.get("knee_upper_c")).as("the grid reaches past the knee; " + figures).isNotEmpty();
        assertThat(Integer.parseInt(knee.get("knee_lower_c"))).as("the grid starts below the knee; " + figures)
                .isPositive();
        assertThat(knee.get("within_one_grid_step")).as(figures).isEqualTo("true");
        assertThat(Math.abs(measured - predicted)).as(figures).isLessThanOrEqualTo(GRID_STEP);
        // the pools' capacity itself, not only where the loop reaches it
        assertThat(Double.parseDouble(knee.get("throughput_ratio"))).as(figures).isBetween(0.95, 1.05);
    }

    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        return lines.stream().skip(1).map(line -> {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "");
            }
            return row;
        }).toList();
    }
}
