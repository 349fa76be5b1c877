package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.protocol.WorkerRole;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each policy does that the others do not. */
class PolicyBehaviourTest {

    private final SplittableRandom random = new SplittableRandom(9);

    @Test
    void roundRobinCyclesAndKeepsATurnPerLeg() {
        RoundRobinSelector rr = new RoundRobinSelector();
        List<Candidate> pool = List.of(Candidates.of("a", 0, 1, 0, 0), Candidates.of("b", 0, 1, 0, 0),
                Candidates.of("c", 0, 1, 0, 0));

        List<Integer> prefill = IntStream.range(0, 5).map(i -> rr.select(Candidates.context(pool,
                PolicySettings.EMPTY, random)).chosen()).boxed().toList();
        int decode = rr.select(new SelectionContext(WorkerRole.DECODE, pool, PolicySettings.DEFAULTS, random))
                .chosen();

        assertThat(prefill).containsExactly(0, 1, 2, 0, 1);
        assertThat(decode).isZero();
    }

    @Test
    void randomIsUniform() {
        int[] counts = pick(new RandomSelector(), List.of(Candidates.of("a", 0, 1, 0, 0),
                Candidates.of("b", 0, 1, 0, 0)), 10_000);

        assertThat(counts[0]).isBetween(4_800, 5_200);
    }

    @Test
    void leastLoadedTakesTheLowestQueuedPrefillPlusDecode() {
        List<Candidate> pool = List.of(Candidates.of("a", 9, 10, 4, 4), Candidates.of("b", 0, 10, 1, 5),
                Candidates.of("c", 0, 10, 7, 0));

        Selection s = new LeastLoadedSelector().select(Candidates.context(pool, PolicySettings.EMPTY, random));

        assertThat(s.costs()).containsExactly(8.0, 6.0, 7.0);
        assertThat(s.chosen()).isEqualTo(1);
    }

    @Test
    void powerOfTwoNeverPicksTheMostLoadedOfThree() {
        List<Candidate> pool = List.of(Candidates.of("a", 0, 1, 0, 1), Candidates.of("b", 0, 1, 0, 2),
                Candidates.of("c", 0, 1, 0, 3));

        int[] counts = pick(new PowerOfTwoSelector(), pool, 9_000);

        // a wins both pairs it is in (2/3), b wins the pair (b, c) (1/3), c never
        assertThat(counts[2]).isZero();
        assertThat(counts[0] / 9_000.0).isCloseTo(2.0 / 3, within(0.02));
    }

    @ParameterizedTest(name = "loads {0}/{1}, abs {2}, rel {3} -> {4}")
    @CsvSource({
            // the cached worker a has load la, the empty worker b lb
            "10,   0,  256, 1.5, a",   // spread 10 under 256: follow the cache
            "300,  0,  256, 1.5, b",   // spread 300 over 256 and 300 > 1.5 * 0: balance
            "300, 250, 256, 1.5, a",   // spread 50 is small: cache
            "900, 620, 256, 1.5, a",   // spread 280 but 900 < 1.5 * 620: cache
            "900, 500, 256, 1.5, b",   // both thresholds passed: balance
    })
    void cacheBalanceFollowsTheCacheUntilLoadsAreImbalanced(double la, double lb, double abs, double rel,
                                                             String expected) {
        List<Candidate> pool = List.of(Candidates.of("a", 10, 10, 0, la), Candidates.of("b", 0, 10, 0, lb));
        PolicySettings settings = new PolicySettings("cache_balance", null, null, abs, rel, null);

        Selection s = new CacheBalanceSelector().select(Candidates.context(pool, settings, random));

        assertThat(pool.get(s.chosen()).workerId()).isEqualTo(expected);
    }

    @Test
    void cacheBalanceSendsAPromptCachedNowhereEnoughToTheLeastLoaded() {
        List<Candidate> pool = List.of(Candidates.of("a", 2, 10, 0, 50), Candidates.of("b", 0, 10, 0, 5));

        Selection s = new CacheBalanceSelector().select(Candidates.context(pool, PolicySettings.EMPTY, random));

        assertThat(s.chosen()).isEqualTo(1); // 20 % cached < cache_threshold 0.5
    }

    @Test
    void cacheBalanceBreaksEqualOverlapTowardsTheLessLoaded() {
        List<Candidate> pool = List.of(Candidates.of("a", 8, 10, 0, 50), Candidates.of("b", 8, 10, 0, 5));

        assertThat(new CacheBalanceSelector().select(Candidates.context(pool, PolicySettings.EMPTY, random))
                .chosen()).isEqualTo(1);
    }

    @Test
    void weightedFollowsTheAllocatorsWeights() {
        List<Candidate> pool = List.of(Candidates.weighted("a", 3), Candidates.weighted("b", 1),
                Candidates.weighted("c", 0));

        int[] counts = pick(new WeightedSelector(), pool, 20_000);

        assertThat(counts[0] / 20_000.0).isCloseTo(0.75, within(0.015));
        assertThat(counts[2]).isZero();
    }

    @Test
    void weightedIsUniformWhenEveryWeightIsZero() {
        int[] counts = pick(new WeightedSelector(), List.of(Candidates.weighted("a", 0),
                Candidates.weighted("b", 0)), 10_000);

        assertThat(counts[0]).isBetween(4_800, 5_200);
    }

    private int[] pick(WorkerSelector selector, List<Candidate> pool, int times) {
        int[] counts = new int[pool.size()];
        for (int i = 0; i < times; i++) {
            counts[selector.select(Candidates.context(pool, PolicySettings.EMPTY, random)).chosen()]++;
        }
        return counts;
    }
}
