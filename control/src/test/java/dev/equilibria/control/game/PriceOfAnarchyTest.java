package dev.equilibria.control.game;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceOfAnarchyTest {

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({
            "2, 1, 2",
            "1, 1, 1",
            "0.5, 1, 0.5",
            "0, 0, 1",
            "1, 0, Infinity",
            "Infinity, 2, Infinity",
            "Infinity, Infinity, 1",
            "3, Infinity, 0"})
    void ratioIsGuardedAgainstZeroAndInfinity(double outcome, double optimum, double expected) {
        assertThat(PriceOfAnarchy.ratio(outcome, optimum)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "goodput {0} vs optimum {1}")
    @CsvSource({"50, 100, 0.5", "100, 100, 0", "0, 0, 0", "0, 10, 1"})
    void goodputGapIsAShareOfTheOptimum(double outcome, double optimum, double expected) {
        assertThat(PriceOfAnarchy.goodputGap(outcome, optimum)).isEqualTo(expected);
    }
}
