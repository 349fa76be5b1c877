package dev.equilibria.control.regime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegimeDetectorConfigTest {

    private static final RegimeDetectorConfig GOOD = RegimeDetectorConfig.defaults(new Thresholds(100, 400, "t"));

    static Stream<Arguments> badFields() {
        return Stream.of(
                bad("ewma_alpha", c -> new RegimeDetectorConfig(0, c.theta1Ms(), c.theta2Ms(), c.confirmPolls(),
                        c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(), c.symptomExitMargin(),
                        c.loadExitMargin(), c.exitLoadSignal())),
                bad("theta1_ms", c -> new RegimeDetectorConfig(c.ewmaAlpha(), -1, c.theta2Ms(), c.confirmPolls(),
                        c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(), c.symptomExitMargin(),
                        c.loadExitMargin(), c.exitLoadSignal())),
                bad("theta2_ms", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta1Ms(),
                        c.confirmPolls(), c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(),
                        c.symptomExitMargin(), c.loadExitMargin(), c.exitLoadSignal())),
                bad("confirm_polls", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta2Ms(), 0,
                        c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(), c.symptomExitMargin(),
                        c.loadExitMargin(), c.exitLoadSignal())),
                bad("utilisation_transition", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta2Ms(),
                        c.confirmPolls(), 0, c.saturatedUtilisation(), c.caps(), c.symptomExitMargin(),
                        c.loadExitMargin(), c.exitLoadSignal())),
                bad("utilisation_saturated", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta2Ms(),
                        c.confirmPolls(), 0.8, 0.5, c.caps(), c.symptomExitMargin(), c.loadExitMargin(),
                        c.exitLoadSignal())),
                bad("symptom_exit_margin", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta2Ms(),
                        c.confirmPolls(), c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(), 1,
                        c.loadExitMargin(), c.exitLoadSignal())),
                bad("load_exit_margin", c -> new RegimeDetectorConfig(c.ewmaAlpha(), c.theta1Ms(), c.theta2Ms(),
                        c.confirmPolls(), c.transitionUtilisation(), c.saturatedUtilisation(), c.caps(),
                        c.symptomExitMargin(), -0.1, c.exitLoadSignal())),
                bad("exit_load_signal", c -> c.withExitLoadSignal(null)),
                bad("queue_cap", c -> new UtilisationCaps(0, 0.9)),
                bad("kv_cap", c -> new UtilisationCaps(8, 1.5)));
    }

    private static Arguments bad(String field, Function<RegimeDetectorConfig, Object> build) {
        return Arguments.of(field, build);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFields")
    void validationNamesTheField(String field, Function<RegimeDetectorConfig, Object> build) {
        assertThatThrownBy(() -> build.apply(GOOD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field);
    }
}
