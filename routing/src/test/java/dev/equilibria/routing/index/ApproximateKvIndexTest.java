package dev.equilibria.routing.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.registry.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApproximateKvIndexTest {

    private final TestClock clock = new TestClock(Instant.EPOCH);
    private final ApproximateKvIndex index = new ApproximateKvIndex(clock, Duration.ofSeconds(10));

    @Test
    void remembersWhereRequestsWentUntilTheTtlPasses() {
        index.onRouted("a", new long[] {1, 2, 3});
        clock.advance(Duration.ofSeconds(9));

        assertThat(index.overlaps(new long[] {1, 2, 3, 4}, List.of("a", "b"))).containsExactly(3, 0);

        clock.advance(Duration.ofSeconds(1));
        assertThat(index.overlaps(new long[] {1, 2, 3, 4}, List.of("a", "b"))).containsExactly(0, 0);
        assertThat(index.cachedBlocks("a")).isZero();
    }

    @Test
    void aLaterRequestExtendsTheBlocksItShares() {
        index.onRouted("a", new long[] {1, 2, 3});
        clock.advance(Duration.ofSeconds(6));
        index.onRouted("a", new long[] {1, 2});
        clock.advance(Duration.ofSeconds(6));

        assertThat(index.overlaps(new long[] {1, 2, 3}, List.of("a"))).containsExactly(2);
    }

    @Test
    void dropsLostWorkers() {
        index.onRouted("a", new long[] {1});
        index.onRouted("b", new long[] {1});

        assertThat(index.reconcile(Set.of("b"))).containsExactly("a");
        assertThat(index.overlaps(new long[] {1}, List.of("a", "b"))).containsExactly(0, 1);
        assertThat(index.mode()).isEqualTo(KvIndex.APPROXIMATE);
    }
}
