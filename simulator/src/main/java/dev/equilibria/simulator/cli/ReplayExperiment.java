package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Table;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** One trace replay with the default router; reports latency, the indices and simulation speed. */
final class ReplayExperiment implements Experiment {

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String help() {
        return """
                replay: replay a trace once with the default router (kv, overlap_score_weight 1, router_temperature 0)
                  --speedup X   divide every arrival time by X (default 1)
                  --policy P    routing policy (default kv)
                """ + TraceOptions.HELP;
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        TraceOptions trace = TraceOptions.parse(o, common.seed());
        double speedup = o.decimal("speedup", 1);
        String policy = o.string("policy", "kv");
        RunConfig run = new RunConfig("replay", common.fleet(), common.view(), PolicySettings.ofPolicy(policy), null,
                trace.workload(speedup), common.duration(), common.warmup(), null, common.seed());
        RunResult r = new Simulation(run).run(new ProgressBar("replay " + trace.trace(), System.err));
        Table table = new Table();
        RunTable.fill(table.row().put("trace", trace.describe()).put("speedup", speedup).put("policy", policy), r);
        common.report().table("replay", table);
        common.report().markdown("summary", "# replay\n\n" + run.workloadDescription() + " on "
                + common.fleet().name() + "\n\n" + table.toMarkdown());
        out.println(table.toMarkdown());
        out.printf(Locale.ROOT, "%d requests, %.0f simulated s in %.1f wall s (%.0f simulated s per wall s)%n",
                r.latency().requests(), r.simulatedSeconds(), r.wallSeconds(), r.simulatedPerWallSecond());
    }
}
