package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerSelectorsTest {

    @Test
    void createsEveryBuiltInPolicyByItsName() {
        assertThat(WorkerSelectors.names()).contains(RoundRobinSelector.NAME);
        for (String name : WorkerSelectors.names()) {
            assertThat(WorkerSelectors.create(name).name()).isEqualTo(name);
        }
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> WorkerSelectors.create("fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fastest").hasMessageContaining(RoundRobinSelector.NAME);
    }
}
