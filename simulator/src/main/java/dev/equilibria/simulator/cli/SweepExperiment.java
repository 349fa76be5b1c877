package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.CapacityPrediction;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.metrics.Samples;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.ReportWriter;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Spread;
import dev.equilibria.simulator.report.Table;
import dev.equilibria.simulator.workload.OutputLength;
import dev.equilibria.simulator.workload.PaperWorkload;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The paper's experiment: the closed-loop workload over a concurrency grid, every cell run under every
 * ({@code router_temperature}, {@code overlap_score_weight}) pair. Per concurrency: each index's mean, spread and
 * CV across configurations, latency, throughput and where the queueing sits. Then the knee, refined by bisection
 * with the default configuration, against the capacity the allocator's pool models predict.
 */
final class SweepExperiment implements Experiment {

    static final String DEFAULT_CONCURRENCY = "16,32,64,128,256,512,1024";

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String help() {
        return """
                sweep: concurrency grid x (router_temperature, overlap_score_weight) grid on the paper's workload, knee vs capacity model
                  --concurrency LIST   closed-loop concurrency C (default %s)
                  --temperatures LIST  router_temperature values (default 0,0.4,0.8)
                  --weights LIST       overlap_score_weight values (default 1,0.5,0.1)
                  --output-tokens N    output length (default 128)
                  --output-spread N    output lengths uniform in tokens +- N, same mean (default 0: fixed)
                  --refine-runs N      extra runs (first t and w) bisecting on C between grid points for the knee (default %d)
                writes cells.csv/json (every run), spread.csv/json (per C), knee.csv/json, summary.md and charts:
                poa_hat_vs_c, ttft_inflation_vs_c, load_imbalance_vs_c, ttft_p99_vs_c, queue_vs_c
                """.formatted(DEFAULT_CONCURRENCY, KneeSearch.DEFAULT_REFINE_RUNS);
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        List<Integer> concurrency = o.integers("concurrency", DEFAULT_CONCURRENCY).stream().sorted().toList();
        List<Double> temperatures = o.decimals("temperatures", "0,0.4,0.8");
        List<Double> weights = o.decimals("weights", "1,0.5,0.1");
        OutputLength output = PaperRun.outputLength(o);
        int refineRuns = o.integer("refine-runs", KneeSearch.DEFAULT_REFINE_RUNS);
        if (refineRuns < 0) {
            throw new IllegalArgumentException("--refine-runs must not be negative");
        }
        Table cells = new Table();
        Table spread = new Table();
        Map<String, Map<String, List<Double>>> byMetric = new LinkedHashMap<>();
        Map<Integer, RunResult> defaults = new TreeMap<>();
        List<Double> cs = new ArrayList<>();
        int runs = concurrency.size() * temperatures.size() * weights.size();
        int done = 0;
        for (int c : concurrency) {
            cs.add((double) c);
            Map<String, Samples> across = new LinkedHashMap<>();
            for (double t : temperatures) {
                for (double w : weights) {
                    String config = String.format(Locale.ROOT, "t=%s w=%s", t, w);
                    RunResult r = run(common, c, PaperRun.settings(t, w), output,
                            "[" + ++done + "/" + runs + "] C=" + c + " " + config);
                    if (t == temperatures.get(0) && w == weights.get(0)) {
                        defaults.put(c, r); // the first configuration (Dynamo's defaults unless told otherwise)
                    }
                    RunTable.fill(cells.row().put("concurrency", c).put("router_temperature", t)
                            .put("overlap_score_weight", w), r)
                            .put("queue_share", KneeSearch.queueShare(c, r)).put("queue_at", KneeSearch.queueAt(c, r));
                    metrics().forEach((name, f) -> {
                        across.computeIfAbsent(name, k -> new Samples()).add(f.applyAsDouble(r));
                        byMetric.computeIfAbsent(name, k -> new LinkedHashMap<>())
                                .computeIfAbsent(config, k -> new ArrayList<>()).add(f.applyAsDouble(r));
                    });
                }
            }
            Table.Row row = spread.row().put("concurrency", c);
            across.forEach((name, samples) -> Spread.acrossConfigs(row, name, samples));
            row.put("queue_at", KneeSearch.queueAt(c, defaults.get(c)));
        }

        RunResult lowest = defaults.get(concurrency.get(0));
        CapacityPrediction predicted = CapacityPrediction.of(common.fleet(), PaperWorkload.DEFAULT_PROMPT_TOKENS,
                output.tokens(), lowest.latency().prefixHitRate());
        PolicySettings knobs = PaperRun.settings(temperatures.get(0), weights.get(0));
        int[] refined = {0};
        KneeSearch.Knee knee = KneeSearch.locate(defaults, c -> run(common, c, knobs, output,
                "[knee " + ++refined[0] + "/" + refineRuns + "] C=" + c), refineRuns);
        double measuredMax = defaults.values().stream().mapToDouble(r -> r.latency().throughput()).max().orElse(0);
        Table kneeTable = kneeTable(knee, predicted, measuredMax, concurrency);

        ReportWriter report = common.report();
        report.table("cells", cells);
        report.table("spread", spread);
        report.table("knee", kneeTable);
        charts(report, cs, byMetric, predicted);
        String summary = "# sweep\n\n" + common.describe() + ", " + PaperWorkload.DEFAULT_TEMPLATES + " templates x "
                + PaperWorkload.DEFAULT_PROMPT_TOKENS + " prompt tokens, " + output.describe() + "\n\n"
                + "## Knee: measured vs the allocator's pool models\n\n" + kneeTable.toMarkdown() + "\n"
                + kneeExplanation(knee, predicted) + "\n\n"
                + "## Per C, across the " + temperatures.size() * weights.size()
                + " (router_temperature, overlap_score_weight) configurations\n\n" + spread.toMarkdown()
                + "\n## Every run\n\n" + cells.toMarkdown();
        report.markdown("summary", summary);
        out.println(kneeTable.toMarkdown());
        out.println(kneeExplanation(knee, predicted));
        out.println("reports in " + report.directory());
    }

    /** The per-run metrics summarised across configurations, by column name. */
    static Map<String, ToDoubleFunction<RunResult>> metrics() {
        Map<String, ToDoubleFunction<RunResult>> m = new LinkedHashMap<>();
        m.put("poa_hat", r -> r.routedLeg().poaHatP50());
        m.put("ttft_inflation", RunResult::ttftInflation);
        m.put("load_imbalance", r -> r.routedLeg().loadImbalance());
        m.put("ttft_p50_s", r -> r.latency().ttftP50());
        m.put("ttft_p99_s", r -> r.latency().ttftP99());
        m.put("itl_mean_s", r -> r.latency().itlMean());
        m.put("throughput_rps", r -> r.latency().throughput());
        m.put("prefill_queue_s", r -> r.latency().prefillQueueSeconds());
        m.put("decode_queue_s", r -> r.latency().decodeQueueSeconds());
        return m;
    }

    private static Table kneeTable(KneeSearch.Knee knee, CapacityPrediction p, double measuredMax,
                                   List<Integer> grid) {
        Table t = new Table();
        t.row().put("knee_lower_c", knee.lower()).put("knee_upper_c", knee.found() ? knee.upper() : null)
                .put("knee_c", knee.estimate()).put("refine_runs", knee.extraRuns().size())
                .put("predicted_knee_c", p.kneeConcurrency())
                .put("knee_ratio", knee.estimate() / p.kneeConcurrency())
                .put("within_one_grid_step", knee.found() ? withinOneStep(knee.estimate(), p.kneeConcurrency(), grid)
                        : null)
                .put("measured_max_rps", measuredMax).put("predicted_max_rps", p.maxRate())
                .put("throughput_ratio", measuredMax / p.maxRate())
                .put("predicted_prefill_rps", p.prefillRate()).put("predicted_decode_rps", p.decodeRate())
                .put("bottleneck", p.bottleneck()).put("decode_batch_cap", p.decodeBatchCap());
        return t;
    }

    /** True when the prediction and the measured knee fall in the same or neighbouring grid intervals. */
    static boolean withinOneStep(double measured, double predicted, List<Integer> grid) {
        return Math.abs(interval(measured, grid) - interval(predicted, grid)) <= 1;
    }

    private static int interval(double c, List<Integer> grid) {
        int i = 0;
        while (i < grid.size() && grid.get(i) < c) {
            i++;
        }
        return i;
    }

    private static String kneeExplanation(KneeSearch.Knee knee, CapacityPrediction p) {
        return String.format(Locale.ROOT, "Knee (admission queueing >= %.0f%% of response time, first configuration): %s%s. "
                        + "The pool models predict %.1f req/s (prefill %.1f, decode %.1f: %s binds) and a knee at "
                        + "C = %.0f; measured / predicted = %.2f.", 100 * KneeSearch.QUEUE_SHARE_PAST_KNEE,
                knee.describe(), knee.found() ? String.format(Locale.ROOT, ", estimated C* = %.0f", knee.estimate())
                        : "", p.maxRate(), p.prefillRate(), p.decodeRate(), p.bottleneck(), p.kneeConcurrency(),
                knee.estimate() / p.kneeConcurrency());
    }

    private static void charts(ReportWriter report, List<Double> cs, Map<String, Map<String, List<Double>>> byMetric,
                               CapacityPrediction p) {
        report.chart("poa_hat_vs_c", "PoA-hat (p50) vs concurrency, per configuration", "C", "PoA-hat",
                series(cs, byMetric.get("poa_hat")), false);
        report.chart("ttft_inflation_vs_c", "TTFT inflation vs concurrency, per configuration", "C",
                "TTFT inflation", series(cs, byMetric.get("ttft_inflation")), true);
        report.chart("load_imbalance_vs_c", "Load imbalance vs concurrency, per configuration", "C",
                "max/mean load", series(cs, byMetric.get("load_imbalance")), false);
        Map<String, double[][]> ttft = series(cs, byMetric.get("ttft_p99_s"));
        double[] ys = ttft.values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s[1])).toArray();
        if (ys.length > 0 && Double.isFinite(p.kneeConcurrency())) {
            double lo = java.util.Arrays.stream(ys).min().orElse(1);
            double hi = java.util.Arrays.stream(ys).max().orElse(1);
            ttft.put("predicted knee", new double[][] {{p.kneeConcurrency(), p.kneeConcurrency()}, {lo, hi}});
        }
        report.chart("ttft_p99_vs_c", "TTFT P99 vs concurrency, per configuration", "C", "TTFT P99 (s)", ttft, true);
        Map<String, double[][]> queues = new LinkedHashMap<>();
        queues.put("prefill queue (mean over configs)", ReportWriter.points(cs, means(byMetric.get("prefill_queue_s"))));
        queues.put("decode admission (mean over configs)", ReportWriter.points(cs,
                means(byMetric.get("decode_queue_s"))));
        report.chart("queue_vs_c", "Where requests queue", "C", "mean wait (s)", queues, true);
    }

    private static List<Double> means(Map<String, List<Double>> byConfig) {
        List<Double> out = new ArrayList<>();
        for (List<Double> values : byConfig.values()) {
            for (int i = 0; i < values.size(); i++) {
                if (out.size() <= i) {
                    out.add(0.0);
                }
                out.set(i, out.get(i) + values.get(i) / byConfig.size());
            }
        }
        return out;
    }

    private static RunResult run(CommonOptions common, int c, PolicySettings settings, OutputLength output,
                                 String label) {
        RunConfig run = PaperRun.config(label, common, common.fleet(), settings, c, output, common.seed(),
                null);
        return new Simulation(run).run(new ProgressBar(label, System.err));
    }

    private static Map<String, double[][]> series(List<Double> xs, Map<String, List<Double>> ys) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        ys.forEach((name, values) -> out.put(name, ReportWriter.points(xs, values)));
        return out;
    }
}
