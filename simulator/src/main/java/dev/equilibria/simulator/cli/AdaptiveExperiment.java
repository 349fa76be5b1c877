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
                  --seeds N           runs each cell under --seed, --seed + 1, ... (default 1); the chart shows
                                      the mean over seeds
                  --refuse-when-full B  whether the controller's balancing rows set refuse_when_full (default
                                      true, as shipped; false for the controller without it)
                writes adaptive.csv/json, summary.md, ttft_p99_static_vs_adaptive.png, regime_timeline.png
                """;
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        List<Integer> concurrency = o.integers("concurrency", "32,64,128,256,512");
        List<String> views = o.strings("views", "ledger,polled:5s,replicas:2,replicas:4");
        OutputLength output = PaperRun.outputLength(o);
        int seeds = o.integer("seeds", 1);
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
        }
        boolean refuseWhenFull = o.bool("refuse-when-full", true);
        ControllerSetup controller = ControllerSetup.defaults(PaperWorkload.DEFAULT_PROMPT_TOKENS)
                .withBalancingRefuseWhenFull(refuseWhenFull);
        Table table = new Table();
        Map<String, double[][]> chart = new LinkedHashMap<>();
        Map<String, double[][]> regimes = new LinkedHashMap<>();
        for (String viewSpec : views) {
            RouterView view = CommonOptions.parseView(viewSpec);
            List<Double> cs = new ArrayList<>();
            List<Double> staticP99 = new ArrayList<>();
            List<Double> adaptiveP99 = new ArrayList<>();
            for (int c : concurrency) {
                double staticSum = 0;
                double adaptiveSum = 0;
                for (long seed = common.seed(); seed < common.seed() + seeds; seed++) {
                    RunResult fixed = run(common, view, c, output, null, seed);
                    RunResult adaptive = run(common, view, c, output, controller, seed);
                    if (seed == common.seed()) {
                        regimes.put(view.describe() + " C=" + c, regimeSteps(adaptive,
                                common.duration().toSeconds()));
                    }
                    staticSum += fixed.latency().ttftP99();
                    adaptiveSum += adaptive.latency().ttftP99();
                    RunTable.fill(row(table, view, c, seeds, seed).put("mode", "static"), fixed);
                    RunTable.fill(row(table, view, c, seeds, seed).put("mode", "adaptive")
                            .put("ttft_p99_gain", fixed.latency().ttftP99() / adaptive.latency().ttftP99())
                            .put("throughput_cost", 1 - adaptive.latency().throughput()
                                    / fixed.latency().throughput())
                            .put("routing_switch_s", adaptive.firstRoutingChangeSeconds()), adaptive);
                }
                cs.add((double) c);
                staticP99.add(staticSum / seeds);
                adaptiveP99.add(adaptiveSum / seeds);
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
                + common.duration().toSeconds() + " s per run, " + (seeds == 1 ? "seed " + common.seed()
                : "seeds " + common.seed() + "-" + (common.seed() + seeds - 1)) + ", " + output.describe()
                + (refuseWhenFull ? "" : ", controller without refuse_when_full")
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

    /** A row of the table; the seed gets a column only when there are several. */
    private static Table.Row row(Table table, RouterView view, int c, int seeds, long seed) {
        Table.Row row = table.row().put("view", view.describe()).put("concurrency", c);
        return seeds > 1 ? row.put("seed", seed) : row;
    }

    private static RunResult run(CommonOptions common, RouterView view, int c, OutputLength output,
                                 ControllerSetup controller, long seed) {
        String label = (controller == null ? "static" : "adaptive") + " C=" + c + " " + view.describe()
                + " seed " + seed;
        RunConfig config = new RunConfig(label, common.fleet(), view, PolicySettings.DEFAULTS,
                PaperRun.workload(c, output, seed), null, common.duration(), common.warmup(), controller, seed);
        return new Simulation(config).run(new ProgressBar(label, System.err));
    }
}
