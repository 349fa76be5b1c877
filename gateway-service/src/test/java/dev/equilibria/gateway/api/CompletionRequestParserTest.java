package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompletionRequestParserTest {

    private final CompletionRequestParser parser = new CompletionRequestParser();

    @Test
    void readsAFullRequest() {
        CompletionRequest request = parser.parse("""
                {"model": "m", "prompt": "Hello", "max_tokens": 7, "stream": true,
                 "stream_options": {"include_usage": true}, "temperature": 0.2, "n": 1, "stop": null}""");

        assertThat(request.model()).isEqualTo("m");
        assertThat(request.prompt()).isEqualTo(new Prompt.Text("Hello"));
        assertThat(request.maxTokens()).isEqualTo(7);
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
    }

    @Test
    void appliesOpenAiDefaults() {
        CompletionRequest request = parser.parse("{\"model\": \"m\", \"prompt\": \"Hello\"}");

        assertThat(request.maxTokens()).isEqualTo(CompletionRequestParser.DEFAULT_MAX_TOKENS);
        assertThat(request.stream()).isFalse();
        assertThat(request.includeUsage()).isFalse();
    }

    static Stream<Arguments> prompts() {
        return Stream.of(
                Arguments.of("\"text\"", "text", null),
                Arguments.of("[\"text\"]", "text", null),
                Arguments.of("[1, 2, 3]", null, new int[] {1, 2, 3}),
                Arguments.of("[[4, 5]]", null, new int[] {4, 5}));
    }

    @ParameterizedTest(name = "prompt {0}")
    @MethodSource("prompts")
    void acceptsTextTokenIdsAndBatchesOfOne(String prompt, String text, int[] ids) {
        Prompt parsed = parser.parse("{\"model\": \"m\", \"prompt\": " + prompt + "}").prompt();

        if (text != null) {
            assertThat(parsed).isEqualTo(new Prompt.Text(text));
        } else {
            assertThat(parsed).isInstanceOfSatisfying(Prompt.TokenIds.class, p -> assertThat(p.ids()).isEqualTo(ids));
        }
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // body, param, code
                Arguments.of(null, null, ErrorCodes.INVALID_JSON),
                Arguments.of("", null, ErrorCodes.INVALID_JSON),
                Arguments.of("{\"model\": \"m\", \"prompt\": ", null, ErrorCodes.INVALID_JSON),
                Arguments.of("{\"model\": \"m\"} trailing", null, ErrorCodes.INVALID_JSON),
                Arguments.of("[1, 2]", null, ErrorCodes.INVALID_JSON),
                Arguments.of("{\"prompt\": \"p\"}", "model", ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": 3, \"prompt\": \"p\"}", "model", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \" \", \"prompt\": \"p\"}", "model", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\"}", "prompt", ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"prompt\": null}", "prompt", ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"prompt\": 42}", "prompt", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": []}", "prompt", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": [1, \"a\"]}", "prompt", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": [1, -2]}", "prompt", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": [1, 1.5]}", "prompt", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": [\"a\", \"b\"]}", "prompt", ErrorCodes.UNSUPPORTED_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": 0}", "max_tokens",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": -5}", "max_tokens",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": \"ten\"}", "max_tokens",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": 2.5}", "max_tokens",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": 99999999999}", "max_tokens",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"n\": 2}", "n", ErrorCodes.UNSUPPORTED_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stream\": \"yes\"}", "stream",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stream_options\": 1}", "stream_options",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stream_options\": {\"include_usage\": 1}}",
                        "stream_options.include_usage", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": [\"\\n\"]}", "stop",
                        ErrorCodes.UNSUPPORTED_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"echo\": true}", "echo",
                        ErrorCodes.UNSUPPORTED_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"logprobs\": 2}", "logprobs",
                        ErrorCodes.UNSUPPORTED_PARAMETER));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("badRequests")
    void refusesBadInputNamingTheField(String body, String param, String code) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> parser.parse(body));

        assertThat(error).isNotNull();
        assertThat(error.status().value()).isEqualTo(400);
        assertThat(error.type()).isEqualTo(ApiException.INVALID_REQUEST);
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void ignoresUnknownFieldsAndEmptyStops() {
        CompletionRequest request = parser.parse(
                "{\"model\": \"m\", \"prompt\": \"p\", \"frobnicate\": {\"x\": 1}, \"stop\": [], \"suffix\": \"\"}");

        assertThat(request.model()).isEqualTo("m");
    }
}
