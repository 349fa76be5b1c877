package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PicksTest {

    /** Hand-computed: norm = (c - min) / (max - min); p_j = exp(-norm_j / t) / sum. */
    @ParameterizedTest(name = "costs 0,5,10 at t={0}")
    @CsvSource({
            // t,   p0,        p1,        p2
            "1.0,   0.506480,  0.307196,  0.186324",
            "0.5,   0.665241,  0.244728,  0.090031",
            "100,   0.335002,  0.333331,  0.331668",
    })
    void softmaxOverRangeNormalisedCosts(double t, double p0, double p1, double p2) {
        double[] p = Picks.softmax(new double[] {0, 5, 10}, t);

        assertThat(p[0]).isCloseTo(p0, within(1e-6));
        assertThat(p[1]).isCloseTo(p1, within(1e-6));
        assertThat(p[2]).isCloseTo(p2, within(1e-6));
    }

    @Test
    void normalisationMakesTheScaleOfCostsIrrelevant() {
        assertThat(Picks.softmax(new double[] {100, 105, 110}, 1.0))
                .containsExactly(Picks.softmax(new double[] {0, 0.5, 1}, 1.0), within(1e-12));
    }

    @Test
    void equalCostsAreUniform() {
        assertThat(Picks.softmax(new double[] {7, 7, 7, 7}, 0.3)).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void softmaxNeedsAPositiveTemperature() {
        assertThatThrownBy(() -> Picks.softmax(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "u={0} -> {1}")
    @CsvSource({"0.0, 0", "0.49, 0", "0.5, 1", "0.79, 1", "0.8, 2", "0.999999, 2"})
    void samplesByCumulativeProbability(double u, int expected) {
        assertThat(Picks.sample(new double[] {0.5, 0.3, 0.2}, Candidates.scripted(u))).isEqualTo(expected);
    }

    @Test
    void lowestBreaksTiesUniformly() {
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[4];
        for (int i = 0; i < 30_000; i++) {
            counts[Picks.lowest(new double[] {3, 1, 1, 1}, random)]++;
        }
        assertThat(counts[0]).isZero();
        for (int i = 1; i < 4; i++) {
            assertThat(counts[i]).isBetween(9_500, 10_500);
        }
    }
}
