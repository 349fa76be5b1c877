package dev.equilibria.simulator.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.RoutingLeg;
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

class SimulationTest {

    private static RunConfig paper(int concurrency, RouterView view, ControllerSetup controller, long seed) {
        return new RunConfig("paper", FleetSpec.preset("1p2d-70b"), view, PolicySettings.DEFAULTS,
                PaperWorkload.withConcurrency(concurrency, seed), null, Duration.ofSeconds(20), Duration.ofSeconds(5),
                controller, seed);
    }

    @Test
    void aRunIsAPureFunctionOfItsConfigAndSeed() {
        RunResult a = new Simulation(paper(32, RouterView.replicas(2, Duration.ofMillis(50)), null, 7))
                .run(EventLoop.Progress.NONE);
        RunResult b = new Simulation(paper(32, RouterView.replicas(2, Duration.ofMillis(50)), null, 7))
                .run(EventLoop.Progress.NONE);

        assertThat(a.latency()).isEqualTo(b.latency());
        assertThat(a.legs()).isEqualTo(b.legs());
    }

    @Test
    void aClosedLoopKeepsItsClientsBusyAndEveryRequestGetsItsTokens() {
        RunResult r = new Simulation(paper(16, RouterView.LEDGER, null, 1)).run(EventLoop.Progress.NONE);

        // 16 clients, ~0.66 s per 128-token request at ~5 ms per decode step: about 24 requests/s
        assertThat(r.latency().throughput()).isBetween(20.0, 26.0);
        assertThat(r.latency().outputTokensPerSecond()).isEqualTo(r.latency().throughput() * 128,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.latency().itlMean()).isBetween(0.005, 0.006);
        assertThat(r.legs()).containsKeys(RoutingLeg.PREFILL, RoutingLeg.DECODE);
        assertThat(r.legs().get(RoutingLeg.DECODE).candidates()).isEqualTo(2);
        assertThat(r.ttftInflation()).isBetween(0.9, 1.5); // light load: TTFT close to the zero-load prediction
    }

    @Test
    void theControllerPollsAndStaysPutAtLightLoad() {
        RunResult r = new Simulation(paper(8, RouterView.LEDGER, ControllerSetup.defaults(128), 1))
                .run(EventLoop.Progress.NONE);

        assertThat(r.transitions()).isEmpty();
    }

    @Test
    void kvRoutingFindsMoreCachedPrefixThanRoundRobinOnTheMooncakeTrace() {
        double kv = hitRate("kv");
        double roundRobin = hitRate("round_robin");

        assertThat(kv).isGreaterThan(roundRobin * 1.2);
    }

    private static double hitRate(String policy) {
        RunConfig config = new RunConfig(policy, FleetSpec.preset("2p4d-8b"), RouterView.LEDGER,
                PolicySettings.ofPolicy(policy), null, BundledTraces.mooncake(new TraceScaling(1, 8192, 600),
                MooncakeTrace.Timing.SPREAD_BURSTS), Duration.ofSeconds(600), Duration.ZERO, null, 3);
        return new Simulation(config).run(EventLoop.Progress.NONE).latency().prefixHitRate();
    }
}
