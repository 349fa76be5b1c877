package dev.equilibria.monitor.inputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.control.efficiency.CandidateLoad;
import dev.equilibria.control.efficiency.EngineZeroLoadTtft;
import dev.equilibria.control.efficiency.LoadImbalanceTracker;
import dev.equilibria.control.efficiency.PoaHatCalculator;
import dev.equilibria.control.efficiency.PoaHatConfig;
import dev.equilibria.control.efficiency.PoaHatTracker;
import dev.equilibria.control.efficiency.TtftInflationTracker;
import dev.equilibria.control.efficiency.WindowLimits;
import dev.equilibria.engine.profile.EngineProfiles;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.CandidateCost;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.protocol.event.RouterSettings;
import dev.equilibria.protocol.event.RoutingDecision;
import dev.equilibria.protocol.event.RoutingLeg;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetInputsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EfficiencyIndices indices = new EfficiencyIndices(
            new PoaHatTracker(new PoaHatConfig(4, 10_000, 10, 5), PoaHatCalculator.defaults()),
            new LoadImbalanceTracker(CandidateLoad.TOTAL_BLOCKS, WindowLimits.defaults()),
            new TtftInflationTracker(EngineZeroLoadTtft.of(EngineProfiles.DEFAULT), WindowLimits.defaults()));
    private final DecisionStats decisions = new DecisionStats(10_000);
    private final RequestStats requests = new RequestStats(10_000);
    private final FleetInputs inputs = new FleetInputs(InstantSource.fixed(Instant.ofEpochMilli(5_000)), indices,
            decisions, requests, new WorkerLoadBoard(), new AllocationBoard(), new RejectedRecords(registry),
            registry);

    private static RoutingDecision decision(String id, String chosen, double prefillBlocks) {
        return new RoutingDecision(id, "gw", 1_000, RoutingLeg.PREFILL, chosen, new RouterSettings("kv", 1.0, 0.0),
                256, 4, 16, List.of(new CandidateCost("p0", 0, prefillBlocks, 2, prefillBlocks + 2),
                        new CandidateCost("p1", 0, 4, 2, 6)));
    }

    @Test
    void aDecisionWithNonFiniteTermsIsRejectedAndDoesNotPoisonItsWindow() {
        inputs.onDecision(EventCodec.encode(decision("a", "p0", 1)));
        inputs.onDecision(EventCodec.encode(decision("b", "p0", 1)).replace("\"prefill_blocks\":1.0",
                "\"prefill_blocks\":\"NaN\""));
        inputs.onDecision("{broken");
        for (int i = 0; i < 7; i++) {
            inputs.onDecision(EventCodec.encode(decision("c" + i, i % 2 == 0 ? "p0" : "p1", 1)));
        }

        assertThat(registry.get(RejectedRecords.METRIC).tag("topic", Topics.ROUTING_DECISIONS).counter().count())
                .isEqualTo(2);
        assertThat(indices.poaHat(RoutingLeg.PREFILL).windows()).isEqualTo(2);
        assertThat(decisions.arrivalsPerSecond(5_000)).isPositive();
    }

    @Test
    void validationNamesWhatIsMissing() {
        assertThatThrownBy(() -> FleetInputs.validate(new RoutingDecision("x", "gw", 1, RoutingLeg.PREFILL, null,
                new RouterSettings("kv", 1, 0), 1, 1, 1, List.of()))).hasMessageContaining("chosen_worker");
        assertThatThrownBy(() -> FleetInputs.validate(new RoutingDecision("x", "gw", 1, RoutingLeg.PREFILL, "p0",
                new RouterSettings("kv", -1, 0), 1, 1, 1, List.of()))).hasMessageContaining("settings");
    }

    @Test
    void requestRecordsFeedTheWindowAndTtftInflation() {
        inputs.onRequestRecord(EventCodec.encode(new RequestRecord("r1", "gw", 1_000, "success", "p0", "d0", 512, 256,
                16, 120, 25, 500)));
        inputs.onRequestRecord(EventCodec.encode(new RequestRecord("r2", "gw", 1_000, "timeout", "p0", "d0", 512, 0,
                0, Double.NaN, Double.NaN, 30_000)));

        RequestWindow w = requests.window(5_000);
        assertThat(w.requests()).isEqualTo(2);
        assertThat(w.errors()).isEqualTo(1);
        assertThat(w.ttftP99Ms()).isEqualTo(120);
        assertThat(w.kvHitRate()).isEqualTo(0.25);
        assertThat(requests.drainTtftP99Ms()).isEqualTo(120);
        assertThat(requests.drainTtftP99Ms()).isNaN();
        assertThat(indices.inflation(5_000).samples()).isEqualTo(1);
    }
}
