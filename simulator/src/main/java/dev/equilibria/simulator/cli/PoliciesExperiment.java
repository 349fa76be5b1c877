package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.policy.WorkerSelectors;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.report.ProgressBar;
import dev.equilibria.simulator.report.RunTable;
import dev.equilibria.simulator.report.Table;
import dev.equilibria.simulator.workload.OpenLoopWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** Every routing policy on a trace at several loads (trace speed-ups). */
final class PoliciesExperiment implements Experiment {

    @Override
    public String name() {
        return "policies";
    }

    @Override
    public String help() {
        return """
                policies: every routing policy on a trace at several loads
                  --policies LIST   policies to compare (default: every registered policy but weighted)
                  --speedups LIST   trace speed-ups, i.e. loads (default 1,2,4)
                """ + TraceOptions.HELP;
    }

    @Override
    public void run(SimOptions o, CommonOptions common, PrintStream out) {
        List<String> policies = o.strings("policies", String.join(",",
                WorkerSelectors.names().stream().filter(n -> !n.equals("weighted")).toList()));
        List<Double> speedups = o.decimals("speedups", "1,2,4");
        TraceOptions trace = TraceOptions.parse(o, common.seed());
        Table table = new Table();
        for (double speedup : speedups) {
            for (String policy : policies) {
                OpenLoopWorkload workload = trace.workload(speedup);
                RunConfig run = new RunConfig(policy + " x" + speedup, common.fleet(), common.view(),
                        PolicySettings.ofPolicy(policy), null, workload, common.duration(), common.warmup(), null,
                        common.seed());
                RunResult r = new Simulation(run).run(new ProgressBar(run.label(), System.err));
                RunTable.fill(table.row().put("speedup", speedup).put("policy", policy), r);
            }
        }
        common.report().table("policies", table);
        common.report().markdown("summary", "# policies\n\n" + trace.describe() + " on " + common.fleet().name()
                + ", " + common.view().describe() + ", up to " + common.duration().toSeconds()
                + " s simulated per run\n\n" + table.toMarkdown());
        out.println(table.toMarkdown());
        out.println("reports in " + common.report().directory());
    }
}
