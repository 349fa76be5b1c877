package dev.equilibria.simulator.claims;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.simulator.core.EventLoop;
import dev.equilibria.simulator.experiment.RunConfig;
import dev.equilibria.simulator.experiment.RunResult;
import dev.equilibria.simulator.experiment.Simulation;
import dev.equilibria.simulator.fleet.FleetSpec;
import dev.equilibria.simulator.fleet.RouterView;
import dev.equilibria.simulator.metrics.LatencySummary;
import dev.equilibria.simulator.metrics.Samples;
import dev.equilibria.simulator.workload.OutputLength;
import dev.equilibria.simulator.workload.PaperWorkload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The paper's first claim as a property of our fleet: below the knee, the router's settings do not change what the
 * fleet delivers. On the small preset (1 prefill and 4 decode workers of 16 sequences each, knee near C = 64), across
 * the sweep's 3 x 3 (router_temperature, overlap_score_weight) grid, throughput, output tokens/s, mean inter-token
 * latency, end-to-end latency P50 and P99 and the prefix hit rate each vary by CV at most 0.5 %.
 *
 * <p>The settings do place requests differently: with {@code t > 0} the {@code kv} policy samples, and sends some
 * decode legs to busier workers (the decode leg's load imbalance rises from 1.06-1.19 at t = 0 to 1.18-1.67 at
 * t = 0.8), which the test checks so that the invariance is not vacuous. Below the knee that costs a fraction of a
 * decode step (mean ITL +0.3 %), which is what the paper's claim says.
 *
 * <p><b>TTFT is not asserted.</b> Here it is one or two prefill steps (7.8 ms each) on the single prefill worker,
 * where there is no routing choice: a request that arrives while a step runs waits for the next one. The share of
 * requests that do depends on the phase between closed-loop arrivals and that worker's steps, and the decode
 * placement shifts that phase by fractions of a step. Percentiles of a two-valued quantity jump between the values
 * (measured CV across the grid: TTFT P99 0.3-7 %, P90 up to 21 %, even the mean 2-5 %), so a CV bound on them tests
 * the phase noise, not the router. End-to-end latency, which contains the TTFT and 127 decode steps, is within the
 * bound.
 */
class RouterSettingsInvarianceTest {

    private static final double[] TEMPERATURES = {0, 0.4, 0.8};
    private static final double[] WEIGHTS = {1, 0.5, 0.1};
    private static final double MAX_CV = 0.005;
    private static final int LARGE_PRESET_CONCURRENCY = 512;

    private static final Map<String, ToDoubleFunction<LatencySummary>> INVARIANT = new LinkedHashMap<>();

    static {
        INVARIANT.put("throughput", LatencySummary::throughput);
        INVARIANT.put("output tokens/s", LatencySummary::outputTokensPerSecond);
        INVARIANT.put("mean ITL", LatencySummary::itlMean);
        INVARIANT.put("e2e P50", LatencySummary::e2eP50);
        INVARIANT.put("e2e P99", LatencySummary::e2eP99);
        INVARIANT.put("prefix hit rate", LatencySummary::prefixHitRate);
    }

    @ParameterizedTest(name = "C={0}")
    @ValueSource(ints = {8, 16, 32})
    void belowTheKneeWhatTheFleetDeliversDoesNotDependOnTheRouterSettings(int concurrency) {
        Map<String, Samples> stats = new LinkedHashMap<>();
        INVARIANT.keySet().forEach(name -> stats.put(name, new Samples()));
        Samples imbalanceAtZeroTemperature = new Samples();
        Samples imbalanceSampled = new Samples();
        for (double t : TEMPERATURES) {
            for (double w : WEIGHTS) {
                PolicySettings settings = PolicySettings.DEFAULTS.overriddenBy(
                        new PolicySettings("kv", w, t, null, null, null));
                RunConfig config = new RunConfig("C=" + concurrency, FleetSpec.preset("1p4d-small"), RouterView.LEDGER,
                        settings, PaperWorkload.withConcurrency(concurrency, 1), null, Duration.ofSeconds(30),
                        Duration.ofSeconds(5), null, 1);
                RunResult result = new Simulation(config).run(EventLoop.Progress.NONE);
                INVARIANT.forEach((name, stat) -> stats.get(name).add(stat.applyAsDouble(result.latency())));
                (t == 0 ? imbalanceAtZeroTemperature : imbalanceSampled).add(result.routedLeg().loadImbalance());
            }
        }

        stats.forEach((name, samples) -> assertThat(samples.cv()).as(name + " CV at C=" + concurrency)
                .isLessThanOrEqualTo(MAX_CV));
        assertThat(stats.get("throughput").min()).isGreaterThan(0);
        assertThat(imbalanceSampled.mean()).as("sampling settings place decode legs differently")
                .isGreaterThan(imbalanceAtZeroTemperature.mean() * 1.03);
    }

    /**
     * Where TTFT is several steps long ({@code 1p2d-70b} at C = 512, below its knee at about 572), the settings move
     * its tail only through the paper's fixed output length: sequences admitted together finish together, the
     * clients come back in waves, and each prefill step carries a wave. Deterministic decode placement (t = 0) keeps
     * the two decode workers' waves in step; sampling (t = 0.8) spreads them, so TTFT P99 falls from 0.057 s to
     * 0.020 s. With output lengths spread uniformly over 96-160 tokens (the same mean), there are no waves and TTFT
     * P99 no longer depends on the settings: across the sweep's 2 x 2 corner of the grid its CV is 50 % with fixed
     * lengths and 1.4 % with spread ones in these 30 s runs (0.6 % across the 3 x 3 grid in 60 s runs).
     */
    @ParameterizedTest(name = "output spread {0}")
    @ValueSource(ints = {0, 32})
    void onTheLargePresetTtftDependsOnTheSettingsOnlyThroughFixedOutputLengths(int spread) {
        Samples ttftP99 = new Samples();
        for (double t : new double[] {0, 0.8}) {
            for (double w : new double[] {1, 0.1}) {
                PolicySettings settings = PolicySettings.DEFAULTS.overriddenBy(
                        new PolicySettings("kv", w, t, null, null, null));
                RunConfig config = new RunConfig("C=512", FleetSpec.preset("1p2d-70b"), RouterView.LEDGER, settings,
                        new PaperWorkload(LARGE_PRESET_CONCURRENCY, PaperWorkload.DEFAULT_TEMPLATES,
                                PaperWorkload.DEFAULT_PROMPT_TOKENS, new OutputLength(128, spread), 1),
                        null, Duration.ofSeconds(30), Duration.ofSeconds(10), null, 1);
                ttftP99.add(new Simulation(config).run(EventLoop.Progress.NONE).latency().ttftP99());
            }
        }
        System.out.printf(Locale.ROOT, "1p2d-70b C=512, output spread %d: TTFT P99 %.4f-%.4f s, CV %.4f%n", spread,
                ttftP99.min(), ttftP99.max(), ttftP99.cv());
        if (spread == 0) {
            assertThat(ttftP99.cv()).as("fixed output lengths: TTFT P99 CV across settings").isGreaterThan(0.2);
        } else {
            assertThat(ttftP99.cv()).as("spread output lengths: TTFT P99 CV across settings")
                    .isLessThanOrEqualTo(0.02);
        }
    }
}
