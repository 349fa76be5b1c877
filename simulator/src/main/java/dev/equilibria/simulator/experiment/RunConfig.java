package dev.equilibria.simulator.experiment;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.workload.ClosedLoopWorkload;
import dev.equilibria.simulator.workload.OpenLoopWorkload;
import java.time.Duration;

/**
 * One simulation run. Exactly one of {@code closedLoop} and {@code openLoop} is set.
 *
 * @param duration   closed loop: how long clients keep sending; open loop: a cap on simulated time
 * @param warmup     requests arriving before this are served but not measured
 * @param controller the monitor's adaptive controller in the loop, or null for static settings
 */
public record RunConfig(String label, FleetSpec fleet, RouterView view, PolicySettings settings,
                        ClosedLoopWorkload closedLoop, OpenLoopWorkload openLoop, Duration duration, Duration warmup,
                        ControllerSetup controller, long seed) {

    public RunConfig {
        if ((closedLoop == null) == (openLoop == null)) {
            throw new IllegalArgumentException("a run needs exactly one workload, closed or open loop");
        }
    }

    public String workloadDescription() {
        return closedLoop != null ? closedLoop.describe() : openLoop.describe();
    }
}
