package dev.equilibria.control.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerLoad;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpareCapacityWeightsTest {

    private static final long NOW = 100_000;
    private final SpareCapacityWeights weights = new SpareCapacityWeights(
            new SpareCapacityWeights.Params(0.2, Duration.ofSeconds(3), 8));

    private static WorkerLoad decode(String id, int running, int kvUsed) {
        return new WorkerLoad(id, WorkerRole.DECODE, NOW, running, 0, kvUsed, 1000, 0, 0);
    }

    @ParameterizedTest(name = "running {0}, waiting {1}, kv {2}/1000, queued {3} tokens: spare {4}")
    @CsvSource({
            "0, 0, 0, 0, 1.0",
            "64, 0, 100, 0, 0.75",
            "10, 0, 600, 0, 0.4",
            "200, 100, 0, 0, 0.0",
            "0, 1, 0, 16384, 0.75",
            "0, 0, 1000, 0, 0.0"})
    void spareIsOneMinusTheTightestResource(int running, int waiting, int kvUsed, long queued, double spare) {
        WorkerLoad load = new WorkerLoad("w", WorkerRole.PREFILL, NOW, running, waiting, kvUsed, 1000, queued, 0);
        assertThat(weights.spare(load, null, NOW)).isCloseTo(spare, within(1e-9));
    }

    @Test
    void weightsFollowSpareCapacityAboveAFloorAndSumToOnePerRole() {
        Map<String, Double> w = weights.weights(List.of(
                decode("d-0", 0, 0),          // spare 1
                decode("d-1", 128, 0),        // spare 0.5
                decode("d-2", 256, 0),        // spare 0
                new WorkerLoad("p-0", WorkerRole.PREFILL, NOW, 0, 0, 0, 1000, 0, 0),
                new WorkerLoad("p-1", WorkerRole.PREFILL, NOW, 0, 0, 0, 1000, 0, 0)), Map.of(), NOW);
        // floor 0.2 spread over 3, the other 0.8 by spare (1 : 0.5 : 0)
        assertThat(w.get("d-0")).isCloseTo(0.2 / 3 + 0.8 / 1.5, within(1e-12));
        assertThat(w.get("d-1")).isCloseTo(0.2 / 3 + 0.4 / 1.5, within(1e-12));
        assertThat(w.get("d-2")).isCloseTo(0.2 / 3, within(1e-12));
        assertThat(w.get("d-0") + w.get("d-1") + w.get("d-2")).isCloseTo(1, within(1e-12));
        assertThat(w.get("p-0")).isCloseTo(0.5, within(1e-12));
        assertThat(w.get("p-1")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aStaleReportGetsOnlyTheFloorAndTheNewestReportWins() {
        Map<String, Double> w = weights.weights(List.of(
                new WorkerLoad("d-0", WorkerRole.DECODE, NOW - 10_000, 0, 0, 0, 1000, 0, 0),
                decode("d-1", 0, 0),
                new WorkerLoad("d-1", WorkerRole.DECODE, NOW - 500, 256, 0, 0, 1000, 0, 0)), Map.of(), NOW);
        assertThat(w.get("d-0")).isCloseTo(0.1, within(1e-12));
        assertThat(w.get("d-1")).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void noSpareAnywhereMeansEvenWeights() {
        Map<String, Double> w = weights.weights(List.of(decode("a", 256, 0), decode("b", 0, 1000)), Map.of(), NOW);
        assertThat(w).containsEntry("a", 0.5).containsEntry("b", 0.5);
    }

    @Test
    void heartbeatCapacitiesSetTheSlotCount() {
        WorkerLoad load = decode("d", 32, 0);
        assertThat(weights.spare(load, new WorkerCapacity(64, 8192, 1000, 64, 8192), NOW)).isCloseTo(0.5,
                within(1e-12));
    }

    @Test
    void paramsNameTheBadField() {
        assertThatThrownBy(() -> new SpareCapacityWeights.Params(1.5, Duration.ZERO, 8))
                .hasMessageContaining("weights.floor");
    }
}
