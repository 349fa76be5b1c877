package dev.equilibria.simulator.claims;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.experiment.ControllerSetup;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.workload.PaperWorkload;
import java.time.Duration;

/** One closed-loop run of the paper's workload, static Dynamo defaults or with the monitor's controller. */
final class ClaimRuns {

    static final long SEED = 1;

    private ClaimRuns() {
    }

    /** The small preset's 4 workers of 16 sequences, aggregated: each request's prefill and decode on one worker. */
    static FleetSpec aggregatedSmall() {
        return FleetSpec.preset("0p4d-small");
    }

    static RunResult run(FleetSpec fleet, RouterView view, int concurrency, boolean adaptive, Duration duration,
                         Duration warmup) {
        ControllerSetup controller = adaptive ? ControllerSetup.defaults(PaperWorkload.DEFAULT_PROMPT_TOKENS) : null;
        RunConfig config = new RunConfig((adaptive ? "adaptive" : "static") + " C=" + concurrency + " "
                + view.describe(), fleet, view, PolicySettings.DEFAULTS,
                PaperWorkload.withConcurrency(concurrency, SEED), null, duration, warmup, controller, SEED);
        return new Simulation(config).run(EventLoop.Progress.NONE);
    }
}
