package dev.equilibria.allocator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.control.allocation.AllocationParams;
import dev.equilibria.control.allocation.Objective;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class AllocatorPropertiesTest {

    @Test
    void defaultsFollowTheLibraryAndTheIssue() {
        AllocatorProperties p = AllocatorProperties.defaults();

        assertThat(p.profile()).isEqualTo("llama-3.1-70b-fp8-tp4-b200");
        assertThat(p.decisionInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.budget()).isNull();
        assertThat(p.slo().toSlo().ttftSeconds()).isEqualTo(0.5);
        assertThat(p.slo().toSlo().itlSeconds()).isEqualTo(0.05);
        assertThat(p.allocationParams()).isEqualTo(AllocationParams.DEFAULTS);
        assertThat(p.actuator()).isEqualTo("local");
        assertThat(p.weightsMinInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.forecast().method()).isEqualTo("holt");
        assertThat(p.demand().loadFallback()).isTrue();
        assertThat(p.capacityAlerts().bypassDwell()).isTrue();
        assertThat(p.kubernetes().prefillDeployment()).isEqualTo("equilibria-prefill");
        assertThat(p.kubernetes().workersPerPod()).isEqualTo(1);
    }

    @Test
    void bindsRelaxedNamesAsTheEnvironmentGivesThem() {
        AllocatorProperties p = bind(Map.of(
                "equilibria.allocator.decision-interval", "2s",
                "equilibria.allocator.min-dwell", "5s",
                "equilibria.allocator.slo.ttft", "300ms",
                "equilibria.allocator.objective", "Equilibrium",
                "equilibria.allocator.actuator", "kubernetes",
                "equilibria.allocator.forecast.method", "ewma",
                "equilibria.allocator.forecast.params.alpha", "0.5",
                "equilibria.allocator.kubernetes.namespace", "llm",
                "equilibria.allocator.budget", "8"));

        assertThat(p.decisionInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.allocationParams().minDwell()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.allocationParams().objective()).isEqualTo(Objective.EQUILIBRIUM);
        assertThat(p.slo().toSlo().ttftSeconds()).isEqualTo(0.3);
        assertThat(p.localActuator()).isFalse();
        assertThat(p.forecast().toConfig().params()).containsEntry("alpha", 0.5);
        assertThat(p.kubernetes().namespace()).isEqualTo("llm");
        assertThat(p.budget()).isEqualTo(8);
    }

    @Test
    void invalidValuesStopStartupNamingTheProperty() {
        assertInvalid(Map.of("equilibria.allocator.profile", "gpt-5"), "equilibria.allocator.profile",
                "unknown engine profile");
        assertInvalid(Map.of("equilibria.allocator.decision-interval", "0s"), "equilibria.allocator.decision-interval");
        assertInvalid(Map.of("equilibria.allocator.budget", "1"), "equilibria.allocator.budget", "from 2");
        assertInvalid(Map.of("equilibria.allocator.slo.itl", "-5ms"), "equilibria.allocator.slo.itl");
        assertInvalid(Map.of("equilibria.allocator.objective", "fastest"), "equilibria.allocator.objective");
        assertInvalid(Map.of("equilibria.allocator.hysteresis", "-0.1"), "equilibria.allocator.hysteresis");
        assertInvalid(Map.of("equilibria.allocator.headroom", "0.5"), "equilibria.allocator.headroom");
        assertInvalid(Map.of("equilibria.allocator.max-step", "0"), "equilibria.allocator.max-step");
        assertInvalid(Map.of("equilibria.allocator.actuator", "slurm"), "equilibria.allocator.actuator",
                "local or kubernetes");
        assertInvalid(Map.of("equilibria.allocator.time-scale", "0"), "equilibria.allocator.time-scale");
        assertInvalid(Map.of("equilibria.allocator.forecast.method", "arima"), "equilibria.allocator.forecast",
                "forecast.method");
        assertInvalid(Map.of("equilibria.allocator.forecast.params.gamma", "0.2"), "equilibria.allocator.forecast",
                "gamma");
        assertInvalid(Map.of("equilibria.allocator.weights.floor", "2"), "equilibria.allocator.weights",
                "weights.floor");
        assertInvalid(Map.of("equilibria.allocator.kubernetes.workers-per-pod", "0"),
                "equilibria.allocator.kubernetes.workers-per-pod");
    }

    private static void assertInvalid(Map<String, String> values, String... fragments) {
        assertThatThrownBy(() -> bind(values)).satisfies(e -> {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).isInstanceOf(IllegalArgumentException.class);
            assertThat(root.getMessage()).contains(fragments);
        });
    }

    private static AllocatorProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate(AllocatorProperties.PREFIX, AllocatorProperties.class);
    }
}
