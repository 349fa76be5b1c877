package dev.equilibria.routing.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.orchestration.ExecutionPlanner.Start;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutionPlannerTest {

    @ParameterizedTest(name = "{0}, max_tokens {1}, {2} prefill / {3} decode candidates -> {4}")
    @CsvSource({
            "PREFILL_FIRST, 16, 2, 2, PREFILL_FIRST",
            "DECODE_FIRST,  16, 2, 2, DECODE_FIRST",
            "PREFILL_FIRST,  1, 2, 0, PREFILL_ONLY",
            "DECODE_FIRST,   1, 2, 2, PREFILL_ONLY",
            "PREFILL_FIRST, 16, 2, 0, NO_DECODE_WORKER",
            "PREFILL_FIRST, 16, 0, 3, AGGREGATED_FALLBACK",
            "DECODE_FIRST,   1, 0, 3, AGGREGATED_FALLBACK",
            "PREFILL_FIRST, 16, 0, 0, NO_PREFILL_WORKER",
    })
    void startsFromThePoolsItHas(OrchestrationMode mode, int maxTokens, int prefill, int decode, Start expected) {
        assertThat(ExecutionPlanner.start(mode, maxTokens, prefill, decode)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} prompt tokens, {1} cached, threshold {2} -> remote {3}")
    @CsvSource({
            "4000,    0, 1024, true",
            "4000, 3500, 1024, false",
            "1024,    0, 1024, false",
            "1025,    0, 1024, true",
            "100,   200,    0, false",
            "100,    99,    0, true",
    })
    void prefillsRemotelyOnlyWhenTheUncachedPartExceedsTheThreshold(int prompt, int cached, int threshold,
                                                                     boolean remote) {
        assertThat(RemotePrefillDecider.remotePrefill(prompt, cached, threshold)).isEqualTo(remote);
    }

    @ParameterizedTest
    @CsvSource({"prefill_first, PREFILL_FIRST", "decode_first, DECODE_FIRST"})
    void orchestrationModesHaveWireNames(String wire, OrchestrationMode mode) {
        assertThat(OrchestrationMode.fromWireName(wire)).isEqualTo(mode);
        assertThat(mode.wireName()).isEqualTo(wire);
    }
}
