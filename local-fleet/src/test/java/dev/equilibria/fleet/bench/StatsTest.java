package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentilesInterpolateBetweenRanksAsNumpyDoes() {
        double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        Stats s = Stats.of(values);

        // numpy.percentile([1..10], [50, 90, 99]) = 5.5, 9.1, 9.91
        assertThat(s.p50()).isCloseTo(5.5, within(1e-9));
        assertThat(s.p90()).isCloseTo(9.1, within(1e-9));
        assertThat(s.p99()).isCloseTo(9.91, within(1e-9));
        assertThat(s.mean()).isCloseTo(5.5, within(1e-9));
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(10);
        assertThat(s.count()).isEqualTo(10);
    }

    @Test
    void orderOfInputDoesNotMatterAndTheInputIsNotSorted() {
        double[] values = {40, 10, 30, 20};

        Stats s = Stats.of(values);

        assertThat(s.p50()).isCloseTo(25, within(1e-9)); // between 20 and 30
        assertThat(s.p90()).isCloseTo(37, within(1e-9)); // h = 2.7: 30 + 0.7 * 10
        assertThat(values).containsExactly(40, 10, 30, 20);
    }

    @Test
    void oneValueIsEveryPercentileAndNoValuesAreNaN() {
        assertThat(Stats.of(new double[] {7})).isEqualTo(new Stats(1, 7, 7, 7, 7, 7, 7));
        Stats empty = Stats.of(new double[0]);
        assertThat(empty.count()).isZero();
        assertThat(empty.p99()).isNaN();
        assertThat(empty.mean()).isNaN();
    }

    @Test
    void nanValuesAreSkipped() {
        Stats s = Stats.of(new double[] {Double.NaN, 2, 4});

        assertThat(s.count()).isEqualTo(2);
        assertThat(s.mean()).isEqualTo(3);
    }
}
