package dev.equilibria.simulator.cli;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.experiment.ControllerSetup;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.experiment.CapacityPrediction;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.Simulation;
import java.time.Duration;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.workload.OutputLength;
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
    static CapacityPrediction predict(CommonOptions common, FleetSpec fleet, OutputLength output) {
        RunConfig calibration = new RunConfig("calibration", fleet, common.view(), settings(0, 1),
                workload(CALIBRATION_CONCURRENCY, output, common.seed()), null, CALIBRATION_DURATION,
                CALIBRATION_WARMUP, null, common.seed());
        double hit = new Simulation(calibration).run(EventLoop.Progress.NONE).latency().prefixHitRate();
        return CapacityPrediction.of(fleet, PaperWorkload.DEFAULT_PROMPT_TOKENS, output.tokens(),
                Double.isFinite(hit) ? hit : 0);
    }

    /** {@code --output-tokens} and {@code --output-spread}. */
    static OutputLength outputLength(SimOptions o) {
        int tokens = o.integer("output-tokens", PaperWorkload.DEFAULT_OUTPUT_TOKENS);
        int spread = o.integer("output-spread", 0);
        if (tokens < 1) {
            throw new IllegalArgumentException("--output-tokens must be positive, got " + tokens);
        }
        if (spread < 0 || spread >= tokens) {
            throw new IllegalArgumentException("--output-spread must be from 0 to " + (tokens - 1)
                    + " (below --output-tokens), got " + spread);
        }
        return new OutputLength(tokens, spread);
    }

    static PaperWorkload workload(int concurrency, OutputLength output, long seed) {
        return new PaperWorkload(concurrency, PaperWorkload.DEFAULT_TEMPLATES, PaperWorkload.DEFAULT_PROMPT_TOKENS,
                output, seed);
    }

    /** Dynamo's defaults with this {@code router_temperature} and {@code overlap_score_weight}. */
    static PolicySettings settings(double temperature, double weight) {
        return PolicySettings.DEFAULTS.overriddenBy(new PolicySettings("kv", weight, temperature, null, null, null));
    }

    static RunConfig config(String label, CommonOptions common, FleetSpec fleet, PolicySettings settings,
                            int concurrency, OutputLength output, long seed, ControllerSetup controller) {
        return new RunConfig(label, fleet, common.view(), settings, workload(concurrency, output, seed), null,
                common.duration(), common.warmup(), controller, seed);
    }
}
