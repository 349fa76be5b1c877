package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;

class RouterOverrideParserTest {

    private final RouterOverrideParser parser = new RouterOverrideParser();

    @Test
    void readsTheBodyOverride() {
        RouterConfig config = parser.fromBody(EventCodec.mapper().readTree("""
                {"policy": "kv", "overlap_score_weight": 2, "router_temperature": 0.5,
                 "prefill": {"policy": "cache_balance", "balance_abs_threshold": 10},
                 "decode": {"policy": "least_loaded"},
                 "orchestration": "decode_first", "remote_prefill_threshold": 256, "refuse_when_full": true}"""));

        assertThat(config).isEqualTo(new RouterConfig(new PolicySettings("kv", 2.0, 0.5, null, null, null),
                new PolicySettings("cache_balance", null, null, 10.0, null, null),
                PolicySettings.ofPolicy("least_loaded"), "decode_first", 256, true));
    }

    @Test
    void readsTheHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Router-Policy", "kv");
        headers.add("x-router-temperature", "0.25");
        headers.add("x-router-decode-policy", "power_of_two");
        headers.add("x-router-prefill-overlap-score-weight", "3");
        headers.add("x-router-remote-prefill-threshold", "100");
        headers.add("x-router-refuse-when-full", "False");
        headers.add("Content-Type", "application/json");

        RouterConfig config = parser.fromHeaders(headers);

        assertThat(config).isEqualTo(new RouterConfig(new PolicySettings("kv", null, 0.25, null, null, null),
                new PolicySettings(null, 3.0, null, null, null, null), PolicySettings.ofPolicy("power_of_two"),
                null, 100, false));
        assertThat(parser.fromHeaders(new HttpHeaders())).isEqualTo(RouterConfig.EMPTY);
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("\"kv\"", "router_config_override", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"policy\": \"fastest\"}", "router_config_override.policy", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"policy\": 3}", "router_config_override.policy", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"router_temperature\": -1}", "router_config_override.router_temperature",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"temperature\": 1}", "router_config_override.temperature",
                        ErrorCodes.UNSUPPORTED_PARAMETER),
                Arguments.of("{\"prefill\": {\"orchestration\": \"x\"}}",
                        "router_config_override.prefill.orchestration", ErrorCodes.UNSUPPORTED_PARAMETER),
                Arguments.of("{\"decode\": {\"cache_threshold\": 2}}", "router_config_override.decode.cache_threshold",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"orchestration\": \"sideways\"}", "router_config_override.orchestration",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"remote_prefill_threshold\": 1.5}", "router_config_override.remote_prefill_threshold",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"refuse_when_full\": \"yes\"}", "router_config_override.refuse_when_full",
                        ErrorCodes.INVALID_TYPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadBodyOverrideNamesTheField(String json, String param, String code) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> parser.fromBody(EventCodec.mapper().readTree(json)));

        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.param()).isEqualTo(param);
        assertThat(e.code()).isEqualTo(code);
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of("x-router-temperature", "hot", "x-router-temperature"),
                Arguments.of("x-router-temperature", "-2", "x-router-temperature"),
                Arguments.of("x-router-prefill-policy", "fastest", "x-router-prefill-policy"),
                Arguments.of("x-router-decode-cache-threshold", "7", "x-router-decode-cache-threshold"),
                Arguments.of("x-router-remote-prefill-threshold", "many", "x-router-remote-prefill-threshold"),
                Arguments.of("x-router-refuse-when-full", "1", "x-router-refuse-when-full"),
                Arguments.of("x-router-speed", "fast", "x-router-speed"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badHeaders")
    void aBadHeaderIsNamed(String header, String value, String param) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(header, value);

        ApiException e = catchThrowableOfType(ApiException.class, () -> parser.fromHeaders(headers));

        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.param()).isEqualTo(param);
    }
}
