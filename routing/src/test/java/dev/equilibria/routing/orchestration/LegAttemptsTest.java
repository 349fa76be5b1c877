package dev.equilibria.routing.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LegAttemptsTest {

    @Test
    void aLegAsksToBeRefusedWhileSomeWorkerHasNotRefusedItAndRefusalsAreLeft() {
        assertThat(LegAttempts.askToRefuseWhenFull(false, 0, 3)).as("setting off").isFalse();
        assertThat(LegAttempts.askToRefuseWhenFull(true, 0, 3)).isTrue();
        assertThat(LegAttempts.askToRefuseWhenFull(true, 1, 2)).isTrue();
        assertThat(LegAttempts.askToRefuseWhenFull(true, 2, 1)).as("the last worker not to refuse is asked too")
                .isTrue();
        assertThat(LegAttempts.askToRefuseWhenFull(true, 3, 0)).as("every worker refused: it queues").isFalse();
        assertThat(LegAttempts.askToRefuseWhenFull(true, LegAttempts.MAX_FULL_REFUSALS_PER_LEG - 1, 5)).isTrue();
        assertThat(LegAttempts.askToRefuseWhenFull(true, LegAttempts.MAX_FULL_REFUSALS_PER_LEG, 5))
                .as("after the last refusal it may have, the leg queues").isFalse();
    }

    @Test
    void aLegStopsAfterItsLastAttempt() {
        assertThat(LegAttempts.mayTryAnother(1)).isTrue();
        assertThat(LegAttempts.mayTryAnother(LegAttempts.MAX_PER_LEG - 1)).isTrue();
        assertThat(LegAttempts.mayTryAnother(LegAttempts.MAX_PER_LEG)).isFalse();
    }
}
