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
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One router configuration run under several seeds at each C (by default a small grid around the knee the pool
 * models predict), with each metric's mean, standard deviation and min-max range: how much of a difference between
 * two runs is noise.
 */
final class RepeatExperiment implements Experiment {

    /** At least three seeds, so a spread means something. */
    static final int DEFAULT_SEEDS = 3;

    @Override
    public String name() {
        return "repeat";
    }

    @Override
    public String help() {
        return """
                repeat: one configuration under n seeds at each C, with mean, stdev and min-max of every metric
                  --seeds N            seeds per C: --seed, --seed + 1, ... (default %d)
                  --concurrency LIST   closed-loop C (default: 0.5x, 0.75x, 1x, 1.25x, 1.5x the pool models' knee,
                                       at the prefix-hit rate a 10 s run at C=16 measures)
                  --temperature T      router_temperature (default 0)
                  --weight W           overlap_score_weight (default 1)
                  --output-tokens N    output length (default 128)
                  --output-spread N    output lengths uniform in tokens +- N, same mean (default 0: fixed)
                writes runs.csv/json (every seed), repeat.csv/json (per C), summary.md, ttft_p99_vs_c.png,
                throughput_vs_c.png (mean with min and max)
                """.formatted(DEFAULT_SEEDS);
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        int seeds = o.integer("seeds", DEFAULT_SEEDS);
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1");
        }
        OutputLength output = PaperRun.outputLength(o);
        double temperature = o.decimal("temperature", 0);
        double weight = o.decimal("weight", 1);
        CapacityPrediction predicted = PaperRun.predict(common, common.fleet(), output);
        List<Integer> concurrency = o.has("concurrency") ? o.integers("concurrency", "")
                : KneeSearch.around(predicted.kneeConcurrency());
        PolicySettings settings = PaperRun.settings(temperature, weight);
        Table runs = new Table();
        Table summary = new Table();
        Map<String, List<Double>> ttft = new LinkedHashMap<>();
        Map<String, List<Double>> throughput = new LinkedHashMap<>();
        List<Double> cs = new ArrayList<>();
        int total = concurrency.size() * seeds;
        int done = 0;
        for (int c : concurrency) {
            Map<String, Samples> across = new LinkedHashMap<>();
            Samples queueShare = new Samples();
            for (int i = 0; i < seeds; i++) {
                long seed = common.seed() + i;
                String label = "[" + ++done + "/" + total + "] C=" + c + " seed " + seed;
                RunConfig config = PaperRun.config(label, common, common.fleet(), settings, c, output, seed,
                        null);
                RunResult r = new Simulation(config).run(new ProgressBar(label, System.err));
                RunTable.fill(runs.row().put("concurrency", c).put("seed", seed), r)
                        .put("queue_share", KneeSearch.queueShare(c, r)).put("queue_at", KneeSearch.queueAt(c, r));
                SweepExperiment.metrics().forEach((name, f) ->
                        across.computeIfAbsent(name, k -> new Samples()).add(f.applyAsDouble(r)));
                queueShare.add(KneeSearch.queueShare(c, r));
            }
            Table.Row row = summary.row().put("concurrency", c).put("seeds", seeds);
            across.forEach((name, samples) -> Spread.acrossSeeds(row, name, samples));
            Spread.acrossSeeds(row, "queue_share", queueShare);
            cs.add((double) c);
            add(ttft, across.get("ttft_p99_s"));
            add(throughput, across.get("throughput_rps"));
        }
        ReportWriter report = common.report();
        report.table("runs", runs);
        report.table("repeat", summary);
        report.chart("ttft_p99_vs_c", "TTFT P99 over " + seeds + " seeds", "C", "TTFT P99 (s)", series(cs, ttft),
                true);
        report.chart("throughput_vs_c", "Throughput over " + seeds + " seeds", "C", "requests/s",
                series(cs, throughput), false);
        String text = String.format(Locale.ROOT, "# repeat\n\n%s, %s; router_temperature %s, "
                        + "overlap_score_weight %s, %d seeds from %d; the pool models' knee is C = %.0f (%s binds)"
                        + "\n\n## Per C across seeds\n\n%s\n## Every run\n\n%s", common.describe(), output.describe(),
                temperature, weight, seeds, common.seed(), predicted.kneeConcurrency(), predicted.bottleneck(),
                summary.toMarkdown(), runs.toMarkdown());
        report.markdown("summary", text);
        out.println(summary.toMarkdown());
        out.println("reports in " + report.directory());
    }

    private static void add(Map<String, List<Double>> chart, Samples s) {
        chart.computeIfAbsent("mean", k -> new ArrayList<>()).add(s.mean());
        chart.computeIfAbsent("min", k -> new ArrayList<>()).add(s.min());
        chart.computeIfAbsent("max", k -> new ArrayList<>()).add(s.max());
    }

    private static Map<String, double[][]> series(List<Double> xs, Map<String, List<Double>> ys) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        ys.forEach((name, values) -> out.put(name, ReportWriter.points(xs, values)));
        return out;
    }
}
