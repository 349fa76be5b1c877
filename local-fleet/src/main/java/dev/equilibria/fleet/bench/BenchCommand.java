package dev.equilibria.fleet.bench;

import dev.equilibria.fleet.FleetCommand;
import dev.equilibria.fleet.FleetException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./fleet bench}: runs a workload against a gateway, prints the summary table, and writes
 * {@code requests.csv} and {@code summary.json}.
 */
public final class BenchCommand {

    /** Where runs go unless {@code --out} says otherwise: {@code bench-results/<workload>-<time>}. */
    public static final String DEFAULT_OUT_PARENT = "bench-results";

    private BenchCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), FleetCommand.root(), System.out, System.err));
    }

    /** Returns the exit code: 0 when it ran (whatever the requests' outcomes), 1 when it could not, 2 bad usage. */
    public static int run(String[] args, Map<String, String> env, Path root, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, env);
        } catch (BenchOptions.HelpRequested e) {
            out.print(BenchOptions.USAGE);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("fleet bench: " + e.getMessage());
            err.println();
            err.print(BenchOptions.USAGE);
            return 2;
        }
        try {
            BenchTarget target = BenchTarget.resolve(options, root);
            WorkloadSource source;
            try {
                source = WorkloadSource.of(options);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                err.println("fleet bench: " + e.getMessage());
                return 1;
            }
            Path dir = options.out().orElseGet(() -> root.resolve(DEFAULT_OUT_PARENT).resolve(options.workload().label()
                    + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
            Files.createDirectories(dir);
            out.println("Benchmarking " + target.gatewayUrl() + " (model " + target.model() + "): " + source.describe());
            out.println(limits(options));
            BenchRun.Result result;
            try (BenchRun run = new BenchRun(options, source, target.gatewayUrl(), target.model(),
                    options.progress() ? Optional.of(err) : Optional.empty())) {
                result = run.run();
            }
            BenchSummary summary = BenchSummary.of(result, Slo.of(options));
            SummaryTable.print(summary, out);
            ResultFiles.writeCsv(result.requests(), dir.resolve(ResultFiles.REQUESTS_CSV));
            ResultFiles.writeSummary(summary, options, target.gatewayUrl(), target.model(),
                    target.routerConfig(CompletionClient.newHttpClient()).orElse(null),
                    dir.resolve(ResultFiles.SUMMARY_JSON));
            out.println();
            out.println("Wrote " + dir.resolve(ResultFiles.REQUESTS_CSV) + " and " + dir.resolve(ResultFiles.SUMMARY_JSON));
            return 0;
        } catch (FleetException e) {
            err.println("fleet bench: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("fleet bench: " + e.getMessage());
            return 1;
        }
    }

    private static String limits(BenchOptions options) {
        String requests = options.requests() == Integer.MAX_VALUE ? "" : options.requests() + " requests";
        String duration = options.duration().map(d -> d.toMillis() / 1000.0 + " s").orElse("");
        String both = requests.isEmpty() ? duration : duration.isEmpty() ? requests : requests + " or " + duration;
        return "Limit: " + both + ", whichever comes first; request timeout " + options.requestTimeout().toSeconds() + " s.";
    }
}
