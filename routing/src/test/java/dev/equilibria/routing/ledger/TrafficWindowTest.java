package dev.equilibria.routing.ledger;

import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.registry.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrafficWindowTest {

    private final TestClock clock = new TestClock(Instant.EPOCH);
    private final TrafficWindow window = new TrafficWindow(clock, Duration.ofSeconds(60));

    @Test
    void sharesAreFractionsOfTheLegsDispatchesInTheWindow() {
        window.record(PREFILL, "a");
        window.record(PREFILL, "a");
        window.record(PREFILL, "a");
        window.record(PREFILL, "b");
        window.record(DECODE, "c");

        assertThat(window.shares(PREFILL)).containsEntry("a", 0.75).containsEntry("b", 0.25).hasSize(2);
        assertThat(window.shares(DECODE)).containsEntry("c", 1.0);
    }

    @Test
    void oldDispatchesLeaveTheWindow() {
        window.record(PREFILL, "a");
        clock.advance(Duration.ofSeconds(30));
        window.record(PREFILL, "b");
        clock.advance(Duration.ofSeconds(35));

        assertThat(window.shares(PREFILL)).containsOnlyKeys("b");
        clock.advance(Duration.ofMinutes(5));
        assertThat(window.shares(PREFILL)).isEmpty();
    }
}
