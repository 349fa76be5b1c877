package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.ControllerSetup;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.experiment.CapacityPrediction;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.Simulation;
import java.time.Duration;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.workload.PaperWorkload;

/** The run config of one closed-loop run of the paper's workload, as the paper-workload experiments make it. */
final class PaperRun {

    /** A short low-load run that measures the workload's prefix-hit rate on this fleet. */
    private static final int CALIBRATION_CONCURRENCY = 16;
    private static final Duration CALIBRATION_DURATION = Duration.ofSeconds(10);
    private static final Duration CALIBRATION_WARMUP = Duration.ofSeconds(2);

    private PaperRun() {
    }

    /**
     * The pool models' prediction for the paper's workload on {@code fleet}, at the prefix-hit rate a short
     * low-load run measures (the same input the sweep gives the models from its lowest C).
     */
    static CapacityPrediction predict(CommonOptions common, FleetSpec fleet, int outputTokens) {
        RunConfig calibration = new RunConfig("calibration", fleet, common.view(), settings(0, 1),
                new PaperWorkload(CALIBRATION_CONCURRENCY, PaperWorkload.DEFAULT_TEMPLATES,
                        PaperWorkload.DEFAULT_PROMPT_TOKENS, outputTokens, common.seed()), null, CALIBRATION_DURATION,
                CALIBRATION_WARMUP, null, common.seed());
        double hit = new Simulation(calibration).run(EventLoop.Progress.NONE).latency().prefixHitRate();
        return CapacityPrediction.of(fleet, PaperWorkload.DEFAULT_PROMPT_TOKENS, outputTokens,
                Double.isFinite(hit) ? hit : 0);
    }

    /** Dynamo's defaults with this {@code router_temperature} and {@code overlap_score_weight}. */
    static PolicySettings settings(double temperature, double weight) {
        return PolicySettings.DEFAULTS.overriddenBy(new PolicySettings("kv", weight, temperature, null, null, null));
    }

    static RunConfig config(String label, CommonOptions common, FleetSpec fleet, PolicySettings settings,
                            int concurrency, int outputTokens, long seed, ControllerSetup controller) {
        return new RunConfig(label, fleet, common.view(), settings,
                new PaperWorkload(concurrency, PaperWorkload.DEFAULT_TEMPLATES, PaperWorkload.DEFAULT_PROMPT_TOKENS,
                        outputTokens, seed), null, common.duration(), common.warmup(), controller, seed);
    }
}
