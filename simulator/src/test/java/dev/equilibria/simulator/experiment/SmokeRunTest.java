package dev.equilibria.simulator.experiment;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.workload.BundledTraces;
import dev.equilibria.simulator.workload.MooncakeTrace;
import dev.equilibria.simulator.workload.PaperWorkload;
import dev.equilibria.simulator.workload.TraceScaling;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeRunTest {

    @Test
    void paper() {
        for (int c : new int[] {16, 64, 256}) {
            RunConfig config = new RunConfig("c" + c, FleetSpec.preset("1p2d-70b"), RouterView.LEDGER,
                    PolicySettings.DEFAULTS, PaperWorkload.withConcurrency(c, 1), null, Duration.ofSeconds(60),
                    Duration.ofSeconds(10), null, 1);
            System.out.println(new Simulation(config).run(EventLoop.Progress.NONE));
        }
    }

    @Test
    void mooncake() {
        RunConfig config = new RunConfig("mooncake", FleetSpec.preset("1p5d-70b"), RouterView.LEDGER,
                PolicySettings.DEFAULTS, null, BundledTraces.mooncake(TraceScaling.AS_RECORDED,
                MooncakeTrace.Timing.KEEP_BURSTS), Duration.ofSeconds(4000), Duration.ZERO, null, 1);
        System.out.println(new Simulation(config).run(EventLoop.Progress.NONE));
    }
}
