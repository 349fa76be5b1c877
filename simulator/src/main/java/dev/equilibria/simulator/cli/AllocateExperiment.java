package dev.equilibria.simulator.cli;

import dev.equilibria.control.allocation.AllocationParams;
import dev.equilibria.control.game.Slo;
import dev.equilibria.simulator.experiment.AllocatorLoop;
import dev.equilibria.simulator.experiment.CapacityPrediction;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.ReportWriter;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Table;
import dev.equilibria.simulator.workload.OutputLength;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Deep saturation with and without the allocator moving GPUs: the paper's closed loop far past the knee, first on
 * the fixed split, then with {@link AllocatorLoop} (the production allocation policy) free to use a GPU budget, and
 * last on the fixed split the allocator ended at (its steady state, without the transition).
 */
final class AllocateExperiment implements Experiment {

    /** Deep saturation: this many times the knee the pool models predict for the starting split. */
    static final double DEFAULT_SATURATION = 2.0;
    /** Room to grow: the budget is this many times the starting fleet's workers. */
    static final int DEFAULT_BUDGET_FACTOR = 2;

    @Override
    public String name() {
        return "allocate";
    }

    @Override
    public String help() {
        return """
                allocate: deep saturation with and without the allocator moving GPUs (the production allocation policy)
                  --concurrency C        closed-loop C (default %.0fx the pool models' knee for the starting split)
                  --budget N             workers the allocator may use (default %dx the topology's workers)
                  --decision-interval D  how often the allocator decides (default %ds)
                  --min-dwell D          least time between applied changes (default %ds)
                  --max-step N           most workers one decision moves per pool (default %d)
                  --worker-start D       delay before an added worker serves (default %ds)
                  --output-tokens N      output length (default 128)
                  --output-spread N      output lengths uniform in tokens +- N, same mean (default 0: fixed)
                writes allocate.csv/json (static, allocator, static at the final split), timeline.csv/json (every
                decision), summary.md, pd_split_over_time.png, demand_over_time.png, ttft_p99.png
                """.formatted(DEFAULT_SATURATION, DEFAULT_BUDGET_FACTOR,
                AllocatorLoop.DEFAULT_DECISION_INTERVAL.toSeconds(), AllocationParams.DEFAULT_MIN_DWELL.toSeconds(),
                AllocationParams.DEFAULT_MAX_STEP, AllocatorLoop.DEFAULT_WORKER_START.toSeconds());
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        FleetSpec fleet = common.fleet();
        OutputLength output = PaperRun.outputLength(o);
        int budget = o.integer("budget", DEFAULT_BUDGET_FACTOR * fleet.totalWorkers());
        if (budget < fleet.totalWorkers()) {
            throw new IllegalArgumentException("--budget must be at least the topology's " + fleet.totalWorkers()
                    + " workers");
        }
        CapacityPrediction predicted = PaperRun.predict(common, fleet, output);
        int concurrency = o.integer("concurrency",
                (int) Math.round(DEFAULT_SATURATION * predicted.kneeConcurrency()));
        AllocationParams d = AllocationParams.DEFAULTS;
        AllocationParams params = new AllocationParams(d.objective(), d.hysteresis(),
                o.duration("min-dwell", d.minDwell()), o.integer("max-step", d.maxStep()), d.headroom(), false);
        AllocatorLoop.Settings settings = new AllocatorLoop.Settings(budget,
                o.duration("decision-interval", AllocatorLoop.DEFAULT_DECISION_INTERVAL), params, Slo.DEFAULTS,
                o.duration("worker-start", AllocatorLoop.DEFAULT_WORKER_START));

        RunResult fixed = simulate(common, fleet, concurrency, output, "static " + split(fleet), null);
        AllocatorLoop[] holder = new AllocatorLoop[1];
        RunResult allocated = simulate(common, fleet, concurrency, output, "allocator, budget " + budget,
                sim -> {
                    holder[0] = new AllocatorLoop(sim.fleet(), settings);
                    holder[0].start(common.duration().toNanos());
                });
        AllocatorLoop allocator = holder[0];
        FleetSpec end = fleet.withWorkers(allocator.split().prefillWorkers(), allocator.split().decodeWorkers());
        RunResult settled = simulate(common, end, concurrency, output, "static " + split(end), null);

        Table table = new Table();
        row(table, "static", split(fleet), fixed);
        row(table, "allocator", split(fleet) + " -> " + split(end) + " (" + allocator.changes() + " changes)",
                allocated);
        row(table, "static at the allocator's final split", split(end), settled);
        Table timeline = new Table();
        Map<String, double[][]> splitChart = new LinkedHashMap<>();
        Map<String, double[][]> demandChart = new LinkedHashMap<>();
        List<Double> ts = new ArrayList<>();
        List<Double> ps = new ArrayList<>();
        List<Double> ds = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Double> forecast = new ArrayList<>();
        for (AllocatorLoop.Point p : allocator.timeline()) {
            timeline.row().put("time_s", p.timeSeconds()).put("prefill_workers", p.prefillWorkers())
                    .put("decode_workers", p.decodeWorkers()).put("pending_workers", p.pendingWorkers())
                    .put("observed_rps", p.observedRate()).put("forecast_rps", p.forecastRate())
                    .put("target", p.target()).put("action", p.action()).put("reasons", p.reasons());
            ts.add(p.timeSeconds());
            ps.add((double) p.prefillWorkers());
            ds.add((double) p.decodeWorkers());
            observed.add(p.observedRate());
            forecast.add(p.forecastRate());
        }
        splitChart.put("prefill workers", ReportWriter.points(ts, ps));
        splitChart.put("decode workers", ReportWriter.points(ts, ds));
        demandChart.put("observed arrival rate", ReportWriter.points(ts, observed));
        demandChart.put("forecast", ReportWriter.points(ts, forecast));
        Map<String, Double> ttft = new LinkedHashMap<>();
        ttft.put("static " + split(fleet), fixed.latency().ttftP99());
        ttft.put("allocator", allocated.latency().ttftP99());
        ttft.put("static " + split(end), settled.latency().ttftP99());

        ReportWriter report = common.report();
        report.table("allocate", table);
        report.table("timeline", timeline);
        report.chart("pd_split_over_time", "P/D split over time (allocator, budget " + budget + ")", "time (s)",
                "workers", splitChart, false);
        report.chart("demand_over_time", "Demand the allocator sees", "time (s)", "requests/s", demandChart, false);
        report.bars("ttft_p99", "TTFT P99 in deep saturation (C = " + concurrency + ")", "TTFT P99 (s)", ttft);
        String text = String.format(Locale.ROOT, "# allocate\n\n%s, %s; closed loop C = %d (the pool models' knee for "
                        + "%s is C = %.0f, %s binds); budget %d workers; decision every %d s, min dwell %d s, max step "
                        + "%d, worker start %d s\n\n%s\n## Allocator decisions\n\n%s", common.describe(),
                output.describe(), concurrency, split(fleet), predicted.kneeConcurrency(), predicted.bottleneck(),
                budget,
                settings.decisionInterval().toSeconds(), params.minDwell().toSeconds(), params.maxStep(),
                settings.workerStart().toSeconds(), table.toMarkdown(), changesOnly(timeline, allocator));
        report.markdown("summary", text);
        out.println(table.toMarkdown());
        out.println("reports in " + report.directory());
    }

    private static void row(Table table, String mode, String split, RunResult r) {
        RunTable.fill(table.row().put("mode", mode).put("split", split), r);
    }

    /** The decisions that changed something, with their reasons (the full list is in timeline.csv). */
    private static String changesOnly(Table timeline, AllocatorLoop allocator) {
        StringBuilder s = new StringBuilder();
        for (AllocatorLoop.Point p : allocator.timeline()) {
            if (p.action().equals("change")) {
                s.append(String.format(Locale.ROOT, "- t = %.0f s, %dP/%dD: %s%n", p.timeSeconds(), p.prefillWorkers(),
                        p.decodeWorkers(), p.reasons()));
            }
        }
        return s.length() == 0 ? "no change applied (" + timeline.rows().size() + " decisions)\n" : s.toString();
    }

    private static String split(FleetSpec fleet) {
        return fleet.prefillWorkers() + "P/" + fleet.decodeWorkers() + "D";
    }

    private static RunResult simulate(CommonOptions common, FleetSpec fleet, int concurrency, OutputLength output,
                                      String label, java.util.function.Consumer<Simulation> before) {
        RunConfig config = PaperRun.config(label, common, fleet, PaperRun.settings(0, 1), concurrency, output,
                common.seed(), null);
        Simulation sim = new Simulation(config);
        if (before != null) {
            before.accept(sim);
        }
        return sim.run(new ProgressBar(label, System.err));
    }
}
