package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySettingsTest {

    @Test
    void defaultsAreKvWithTheCacheAffinePoint() {
        assertThat(PolicySettings.DEFAULTS).isEqualTo(new PolicySettings("kv", 1.0, 0.0, 256.0, 1.5, 0.5));
        assertThat(PolicySettings.DEFAULTS.isComplete()).isTrue();
    }

    @Test
    void aHigherLayerReplacesOnlyWhatItSets() {
        PolicySettings merged = PolicySettings.DEFAULTS.overriddenBy(
                new PolicySettings(null, 2.0, null, null, null, null));

        assertThat(merged).isEqualTo(new PolicySettings("kv", 2.0, 0.0, 256.0, 1.5, 0.5));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(new PolicySettings("fastest", null, null, null, null, null), "policy"),
                Arguments.of(new PolicySettings(null, -1.0, null, null, null, null), "overlap_score_weight"),
                Arguments.of(new PolicySettings(null, Double.NaN, null, null, null, null), "overlap_score_weight"),
                Arguments.of(new PolicySettings(null, null, -0.1, null, null, null), "router_temperature"),
                Arguments.of(new PolicySettings(null, null, Double.POSITIVE_INFINITY, null, null, null),
                        "router_temperature"),
                Arguments.of(new PolicySettings(null, null, null, -5.0, null, null), "balance_abs_threshold"),
                Arguments.of(new PolicySettings(null, null, null, null, 0.9, null), "balance_rel_threshold"),
                Arguments.of(new PolicySettings(null, null, null, null, null, 1.5), "cache_threshold"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void validationNamesTheField(PolicySettings settings, String field) {
        InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
                () -> settings.validate("prefill."));

        assertThat(e.field()).isEqualTo("prefill." + field);
        assertThat(e.getMessage()).startsWith("prefill." + field + ": ");
    }
}
