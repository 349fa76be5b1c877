package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KvSelectorTest {

    private final KvSelector kv = new KvSelector();

    /**
     * A request of 10 blocks. A caches 8 of them but decodes 12 blocks; B caches nothing and is idle.
     * c_A = w * (10 - 8) + 12, c_B = w * 10 + 0.
     */
    private static final List<Candidate> AFFINITY_VS_IDLE = List.of(
            Candidates.of("A", 8, 10, 0, 12),
            Candidates.of("B", 0, 10, 0, 0));

    @ParameterizedTest(name = "w={0}: c_A={1}, c_B={2} -> {3}")
    @CsvSource({
            "1.0,  14,   10,   B",
            "2.0,  16,   20,   A",
            "0.5,  13,    5,   B",
            "0.0,  12,    0,   B",
            "5.0,  22,   50,   A",
    })
    void lowestCostWinsAtTemperatureZero(double w, double costA, double costB, String expected) {
        Selection selection = kv.select(Candidates.context(AFFINITY_VS_IDLE,
                new PolicySettings("kv", w, 0.0, null, null, null), new SplittableRandom(1)));

        assertThat(selection.costs()).containsExactly(costA, costB);
        assertThat(AFFINITY_VS_IDLE.get(selection.chosen()).workerId()).isEqualTo(expected);
    }

    @Test
    void queuedPrefillCountsAsPrefillWork() {
        // C caches the whole prompt but has 10 blocks of other prompts queued: prefill_blocks = 0 + 10
        List<Candidate> candidates = List.of(Candidates.of("C", 10, 10, 10, 0), Candidates.of("D", 0, 10, 0, 3));

        Selection selection = kv.select(Candidates.context(candidates, PolicySettings.EMPTY, new SplittableRandom(1)));

        assertThat(selection.costs()).containsExactly(10.0, 13.0);
        assertThat(selection.chosen()).isZero();
    }

    @Test
    void positiveTemperatureSamplesFromTheSoftmax() {
        // w=1: c_A=14, c_B=10 -> norm A=1, B=0; t=1: p_B = 1 / (1 + e^-1) = 0.731059, p_A = 0.268941
        PolicySettings t1 = new PolicySettings("kv", 1.0, 1.0, null, null, null);

        assertThat(kv.select(Candidates.context(AFFINITY_VS_IDLE, t1, Candidates.scripted(0.268))).chosen())
                .isZero();
        assertThat(kv.select(Candidates.context(AFFINITY_VS_IDLE, t1, Candidates.scripted(0.269))).chosen())
                .isEqualTo(1);

        SplittableRandom random = new SplittableRandom(3);
        int a = 0;
        for (int i = 0; i < 20_000; i++) {
            a += kv.select(Candidates.context(AFFINITY_VS_IDLE, t1, random)).chosen() == 0 ? 1 : 0;
        }
        assertThat(a / 20_000.0).isCloseTo(0.268941, within(0.01));
    }

    @Test
    void paramsTakeTheirDefaultsWhenUnset() {
        assertThat(KvSelector.Params.from(PolicySettings.EMPTY))
                .isEqualTo(new KvSelector.Params(1.0, 0.0));
    }
}
