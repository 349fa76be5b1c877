package dev.equilibria.simulator.cli;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.ControllerSetup;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.ReportWriter;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Table;
import dev.equilibria.simulator.workload.OutputLength;
import dev.equilibria.simulator.workload.PaperWorkload;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static Dynamo defaults ({@code kv}, w=1, t=0) against the monitor's adaptive controller, across concurrency, for
 * each router view: the gateway's in-flight ledger, metrics polled every few seconds, and several gateway replicas
 * that each see only their own traffic (or share it late).
 */
final class AdaptiveExperiment implements Experiment {

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public String help() {
        return """
                adaptive: static defaults vs the adaptive controller across C, for several router views
                  --concurrency LIST  closed-loop concurrency C (default 32,64,128,256,512)
                  --views LIST        router views (default ledger,polled:5s,replicas:2,replicas:4)
                  --output-tokens N   output length (default 128)
                  --output-spread N   output lengths uniform in tokens +- N, same mean (default 0: fixed)
                writes adaptive.csv/json, summary.md, ttft_p99_static_vs_adaptive.png, regime_timeline.png
                """;
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        List<Integer> concurrency = o.integers("concurrency", "32,64,128,256,512");
        List<String> views = o.strings("views", "ledger,polled:5s,replicas:2,replicas:4");
        OutputLength output = PaperRun.outputLength(o);
        Table table = new Table();
        Map<String, double[][]> chart = new LinkedHashMap<>();
        Map<String, double[][]> regimes = new LinkedHashMap<>();
        for (String viewSpec : views) {
            RouterView view = CommonOptions.parseView(viewSpec);
            List<Double> cs = new ArrayList<>();
            List<Double> staticP99 = new ArrayList<>();
            List<Double> adaptiveP99 = new ArrayList<>();
            for (int c : concurrency) {
                RunResult fixed = run(common, view, c, output, null);
                RunResult adaptive = run(common, view, c, output,
                        ControllerSetup.defaults(PaperWorkload.DEFAULT_PROMPT_TOKENS));
                regimes.put(view.describe() + " C=" + c, regimeSteps(adaptive, common.duration().toSeconds()));
                cs.add((double) c);
                staticP99.add(fixed.latency().ttftP99());
                adaptiveP99.add(adaptive.latency().ttftP99());
                RunTable.fill(table.row().put("view", view.describe()).put("concurrency", c).put("mode", "static"),
                        fixed);
                RunTable.fill(table.row().put("view", view.describe()).put("concurrency", c).put("mode", "adaptive")
                        .put("ttft_p99_gain", fixed.latency().ttftP99() / adaptive.latency().ttftP99())
                        .put("throughput_cost", 1 - adaptive.latency().throughput() / fixed.latency().throughput()),
                        adaptive);
            }
            chart.put(view.describe() + " static", ReportWriter.points(cs, staticP99));
            chart.put(view.describe() + " adaptive", ReportWriter.points(cs, adaptiveP99));
        }
        common.report().table("adaptive", table);
        common.report().chart("ttft_p99_static_vs_adaptive", "TTFT P99: static vs adaptive", "C", "TTFT P99 (s)",
                chart, true);
        common.report().chart("regime_timeline", "Controller regime over time (0 below, 1 transition, 2 saturated)",
                "time (s)", "regime", regimes, false);
        common.report().markdown("summary", "# adaptive\n\n" + common.fleet().name() + ", duration "
                + common.duration().toSeconds() + " s per run, seed " + common.seed() + ", " + output.describe()
                + "\n\n" + table.toMarkdown());
        out.println(table.toMarkdown());
        out.println("reports in " + common.report().directory());
    }

    /** The regime as a step function of time: 0 BELOW, 1 TRANSITION, 2 SATURATED, from the run's transitions. */
    static double[][] regimeSteps(RunResult r, double endSeconds) {
        List<Double> t = new ArrayList<>(List.of(0.0));
        List<Double> level = new ArrayList<>(List.of(0.0));
        for (RegimeTransition tr : r.transitions()) {
            double at = tr.timestampMs() / 1000.0;
            t.add(at);
            level.add((double) tr.from().ordinal());
            t.add(at);
            level.add((double) tr.to().ordinal());
        }
        t.add(endSeconds);
        level.add(level.get(level.size() - 1));
        return new double[][] {t.stream().mapToDouble(Double::doubleValue).toArray(),
                level.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    private static RunResult run(CommonOptions common, RouterView view, int c, OutputLength output,
                                 ControllerSetup controller) {
        String label = (controller == null ? "static" : "adaptive") + " C=" + c + " " + view.describe();
        RunConfig config = new RunConfig(label, common.fleet(), view, PolicySettings.DEFAULTS,
                PaperRun.workload(c, output, common.seed()), null, common.duration(), common.warmup(), controller,
                common.seed());
        return new Simulation(config).run(new ProgressBar(label, System.err));
    }
}
