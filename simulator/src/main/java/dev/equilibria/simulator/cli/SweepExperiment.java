package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.metrics.Samples;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.ReportWriter;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Table;
import dev.equilibria.simulator.workload.PaperWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's experiment: the closed-loop workload over a concurrency grid, every cell run under every
 * ({@code router_temperature}, {@code overlap_score_weight}) pair; per concurrency, how much the configuration
 * matters (spread and CV of each index across configurations).
 */
final class SweepExperiment implements Experiment {

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String help() {
        return """
                sweep: concurrency grid x (router_temperature, overlap_score_weight) grid on the paper's workload
                  --concurrency LIST   closed-loop concurrency C (default 16,32,64,128,256,512)
                  --temperatures LIST  router_temperature values (default 0,0.4,0.8)
                  --weights LIST       overlap_score_weight values (default 1,0.5,0.1)
                  --output-tokens N    output length (default 128)
                """;
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        List<Integer> concurrency = o.integers("concurrency", "16,32,64,128,256,512");
        List<Double> temperatures = o.decimals("temperatures", "0,0.4,0.8");
        List<Double> weights = o.decimals("weights", "1,0.5,0.1");
        int outputTokens = o.integer("output-tokens", PaperWorkload.DEFAULT_OUTPUT_TOKENS);
        Table cells = new Table();
        Table spread = new Table();
        Map<String, List<Double>> ttftByConfig = new LinkedHashMap<>();
        Map<String, List<Double>> poaByConfig = new LinkedHashMap<>();
        List<Double> cs = new ArrayList<>();
        for (int c : concurrency) {
            cs.add((double) c);
            Samples poa = new Samples();
            Samples inflation = new Samples();
            Samples imbalance = new Samples();
            Samples ttftP99 = new Samples();
            for (double t : temperatures) {
                for (double w : weights) {
                    String config = String.format(Locale.ROOT, "t=%s w=%s", t, w);
                    PolicySettings settings = PolicySettings.DEFAULTS.overriddenBy(
                            new PolicySettings("kv", w, t, null, null, null));
                    RunConfig run = new RunConfig("C=" + c + " " + config, common.fleet(), common.view(), settings,
                            new PaperWorkload(c, PaperWorkload.DEFAULT_TEMPLATES, PaperWorkload.DEFAULT_PROMPT_TOKENS,
                                    outputTokens, common.seed()), null, common.duration(), common.warmup(), null,
                            common.seed());
                    RunResult r = new Simulation(run).run(new ProgressBar(run.label(), System.err));
                    RunTable.fill(cells.row().put("concurrency", c).put("router_temperature", t)
                            .put("overlap_score_weight", w), r);
                    poa.add(r.routedLeg().poaHatP50());
                    inflation.add(r.ttftInflation());
                    imbalance.add(r.routedLeg().loadImbalance());
                    ttftP99.add(r.latency().ttftP99());
                    ttftByConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(r.latency().ttftP99());
                    poaByConfig.computeIfAbsent(config, k -> new ArrayList<>()).add(r.routedLeg().poaHatP50());
                }
            }
            spread.row().put("concurrency", c)
                    .put("poa_hat_mean", poa.mean()).put("poa_hat_spread", poa.max() - poa.min())
                    .put("poa_hat_cv", poa.cv())
                    .put("ttft_inflation_mean", inflation.mean()).put("ttft_inflation_cv", inflation.cv())
                    .put("load_imbalance_mean", imbalance.mean()).put("load_imbalance_cv", imbalance.cv())
                    .put("ttft_p99_mean_s", ttftP99.mean()).put("ttft_p99_cv", ttftP99.cv());
        }
        ReportWriter report = common.report();
        report.table("cells", cells);
        report.table("spread", spread);
        report.chart("ttft_p99_vs_c", "TTFT P99 vs concurrency", "C", "TTFT P99 (s)", series(cs, ttftByConfig), true);
        report.chart("poa_hat_vs_c", "PoA-hat (p50) vs concurrency", "C", "PoA-hat", series(cs, poaByConfig), false);
        report.markdown("summary", "# sweep\n\n" + common.fleet().name() + ", " + common.view().describe()
                + ", duration " + common.duration().toSeconds() + " s per run, warmup "
                + common.warmup().toSeconds() + " s, seed " + common.seed()
                + "\n\n## Spread across configurations\n\n" + spread.toMarkdown() + "\n## Every cell\n\n"
                + cells.toMarkdown());
        out.println(spread.toMarkdown());
        out.println("reports in " + report.directory());
    }

    private static Map<String, double[][]> series(List<Double> xs, Map<String, List<Double>> ys) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        ys.forEach((name, values) -> out.put(name, ReportWriter.points(xs, values)));
        return out;
    }
}
