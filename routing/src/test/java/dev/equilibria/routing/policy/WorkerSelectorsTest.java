package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerSelectorsTest {

    @Test
    void registersEveryPolicyTheGatewayOffers() {
        assertThat(WorkerSelectors.names()).containsExactly("cache_balance", "kv", "least_loaded", "power_of_two",
                "random", "round_robin", "weighted");
        assertThat(WorkerSelectors.createAll()).containsOnlyKeys(WorkerSelectors.names());
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        assertThatThrownBy(() -> WorkerSelectors.create("fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fastest").hasMessageContaining(RoundRobinSelector.NAME);
    }
}
