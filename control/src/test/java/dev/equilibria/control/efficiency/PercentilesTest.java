package dev.equilibria.control.efficiency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank() {
        double[] values = {5, 1, 4, 2, 3, Double.NaN};

        assertThat(Percentiles.of(values, 0)).isEqualTo(1);
        assertThat(Percentiles.of(values, 0.5)).isEqualTo(3);
        assertThat(Percentiles.of(values, 0.9)).isEqualTo(5);
        assertThat(Percentiles.of(values, 1)).isEqualTo(5);
        assertThat(Percentiles.of(List.of(7.0), 0.99)).isEqualTo(7);
        assertThat(Percentiles.of(new double[0], 0.5)).isNaN();
        assertThatThrownBy(() -> Percentiles.of(values, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
