package dev.equilibria.allocator.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.allocator.config.AllocatorModels;
import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.control.forecast.DemandEstimator;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemandTrackerTest {

    private static final long NOW = 1_000_000;
    private static final List<WorkerLoad> BUSY_PREFILL = List.of(
            new WorkerLoad("p0", WorkerRole.PREFILL, NOW, 1, 3, 0, 1000, 4 * 2048, 0));

    private final AllocatorModels models = AllocatorModels.of(AllocatorProperties.defaults());

    private DemandTracker tracker(double timeScale, boolean fallback) {
        return new DemandTracker(new DemandEstimator.Params(Duration.ofSeconds(10), 64, 1000), models.loadBased(),
                timeScale, fallback);
    }

    @Test
    void theDecisionLogWinsAndItsRateIsConvertedToGpuTime() {
        DemandTracker tracker = tracker(2.0, true);
        for (int i = 0; i < 20; i++) {
            tracker.onDecision(decision("r" + i, NOW - 9_900 + 500 * i, RoutingLeg.PREFILL, 1000, 2));
            tracker.onDecision(decision("r" + i, NOW - 9_900 + 500 * i, RoutingLeg.DECODE, 1000, 0));
        }

        DemandTracker.Observation o = tracker.observe(NOW, BUSY_PREFILL);

        assertThat(o.source()).isEqualTo(DemandTracker.Source.DECISION_LOG);
        // 20 requests over the 9.9 s since the first, wall clock; at time scale 2 half that rate in GPU time
        assertThat(o.snapshot().workload().arrivalRate()).isCloseTo(20 / 9.9 / 2, within(1e-9));
        assertThat(o.snapshot().workload().meanInputTokens()).isEqualTo(1000);
        assertThat(o.snapshot().workload().prefixHitRate()).isCloseTo(128 / 1000.0, within(1e-9));
        assertThat(o.snapshot().requests()).isEqualTo(20);
    }

    @Test
    void requestRecordsGiveOutputLengthsTheMeasuredHitRateAndLatenciesInGpuTime() {
        DemandTracker tracker = tracker(2.0, true);
        tracker.onDecision(decision("r1", NOW - 2000, RoutingLeg.PREFILL, 1000, 0));
        tracker.onRecord(new RequestRecord("r1", "g", NOW - 2000, "success", "p0", "d0", 1000, 250, 40, 120, 15,
                800));

        DemandTracker.Observation o = tracker.observe(NOW, List.of());

        assertThat(o.snapshot().workload().meanOutputTokens()).isEqualTo(40);
        assertThat(o.snapshot().workload().prefixHitRate()).isEqualTo(0.25);
        assertThat(o.measured().requests()).isEqualTo(1);
        assertThat(o.measured().ttftSeconds()).isCloseTo(0.240, within(1e-12));
        assertThat(o.measured().itlSeconds()).isCloseTo(0.030, within(1e-12));
    }

    @Test
    void withoutTheDecisionLogDemandComesFromTheLoadReports() {
        DemandTracker.Observation o = tracker(1.0, true).observe(NOW, BUSY_PREFILL);

        assertThat(o.source()).isEqualTo(DemandTracker.Source.WORKER_LOAD);
        assertThat(o.snapshot().requests()).isEqualTo(4);
        assertThat(o.snapshot().workload().meanInputTokens()).isEqualTo(2048);
        assertThat(o.snapshot().workload().arrivalRate()).isPositive();
        assertThat(o.prefillUtilisation()).isCloseTo(LoadBasedDemand.utilisationFromQueue(4), within(1e-12));
    }

    @Test
    void theFallbackCanBeSwitchedOffAndIdleWorkersMeanNoDemand() {
        assertThat(tracker(1.0, false).observe(NOW, BUSY_PREFILL).source()).isEqualTo(DemandTracker.Source.NONE);

        DemandTracker.Observation idle = tracker(1.0, true).observe(NOW,
                List.of(new WorkerLoad("p0", WorkerRole.PREFILL, NOW, 0, 0, 0, 1000, 0, 0)));
        assertThat(idle.source()).isEqualTo(DemandTracker.Source.NONE);
        assertThat(idle.snapshot().workload().arrivalRate()).isZero();
        assertThat(idle.snapshot().requests()).isZero();
    }

    private static RoutingDecision decision(String id, long ts, RoutingLeg leg, int prompt, int overlapBlocks) {
        return new RoutingDecision(id, "g", ts, leg, "w0", new RouterSettings("kv", 1, 0), prompt, prompt / 64, 16,
                List.of(new CandidateCost("w0", overlapBlocks, 1, 0, 1)));
    }
}
