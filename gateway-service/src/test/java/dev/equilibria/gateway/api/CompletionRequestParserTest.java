package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}",
                        "stop", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": [\"a\", 1]}", "stop",
                        ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": [\"\"]}", "stop",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": 5}", "stop", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"stop_token_ids\": [1, -1]}", "stop_token_ids",
                        ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"prompt\": \"p\", \"router_config_override\": {\"policy\": \"x\"}}",
                        "router_config_override.policy", ErrorCodes.INVALID_VALUE),
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
    void readsStopStringsAndStopTokenIds() {
        CompletionRequest request = parser.parse("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": [\"\\n\", \"END\"],"
                + " \"stop_token_ids\": [128009]}");
        CompletionRequest single = parser.parse("{\"model\": \"m\", \"prompt\": \"p\", \"stop\": \"###\"}");

        assertThat(request.stop()).containsExactly("\n", "END");
        assertThat(request.stopTokenIds()).containsExactly(128009);
        assertThat(single.stop()).containsExactly("###");
    }

    @Test
    void readsAChatRequest() {
        CompletionRequest request = parser.parseChat("""
                {"model": "m", "messages": [
                   {"role": "developer", "content": "Be brief."},
                   {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there"}]},
                   {"role": "assistant", "content": null},
                   {"role": "user", "content": "Again"}],
                 "max_completion_tokens": 9, "stream": true, "stop": "."}""");

        assertThat(request.prompt()).isEqualTo(new Prompt.Chat(java.util.List.of(
                new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hello there"),
                new ChatMessage("assistant", ""), new ChatMessage("user", "Again"))));
        assertThat(request.maxTokens()).isEqualTo(9);
        assertThat(request.stream()).isTrue();
        assertThat(request.stop()).containsExactly(".");
        assertThat(parser.parseChat("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}")
                .maxTokens()).isEqualTo(CompletionRequest.TO_CONTEXT_END);
    }

    static Stream<Arguments> badChats() {
        return Stream.of(
                Arguments.of("{\"model\": \"m\"}", "messages", ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"messages\": []}", "messages", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"messages\": \"hi\"}", "messages", ErrorCodes.INVALID_TYPE),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"content\": \"x\"}]}", "messages[0].role",
                        ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}",
                        "messages[0].role", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\"}]}", "messages[0].content",
                        ErrorCodes.MISSING_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\":"
                        + " \"image_url\"}]}]}", "messages[0].content[0]", ErrorCodes.UNSUPPORTED_VALUE),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"max_completion_tokens\": 0}", "max_completion_tokens", ErrorCodes.INVALID_VALUE),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"tools\": [{}]}", "tools", ErrorCodes.UNSUPPORTED_PARAMETER),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}],"
                        + " \"n\": 3}", "n", ErrorCodes.UNSUPPORTED_VALUE));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("badChats")
    void refusesBadChatsNamingTheField(String body, String param, String code) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> parser.parseChat(body));

        assertThat(error.param()).isEqualTo(param);
        assertThat(error.code()).isEqualTo(code);
    }

    @Test
    void ignoresSamplingOptionsAndEmptyStops() {
        CompletionRequest request = parser.parse("{\"model\": \"m\", \"prompt\": \"p\", \"temperature\": 0.1,"
                + " \"top_p\": 1, \"seed\": 3, \"user\": \"u\", \"logit_bias\": {}, \"stop\": [], \"suffix\": \"\"}");

        assertThat(request.model()).isEqualTo("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "ignore_eos", "Model", "max-tokens"})
    void refusesUnrecognisedFieldsOnBothApisNamingThem(String field) {
        ApiException completion = catchThrowableOfType(ApiException.class, () -> parser.parse(
                "{\"model\": \"m\", \"prompt\": \"p\", \"" + field + "\": 1}"));
        ApiException chat = catchThrowableOfType(ApiException.class, () -> parser.parseChat(
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"" + field
                        + "\": 1}"));

        for (ApiException error : List.of(completion, chat)) {
            assertThat(error.code()).isEqualTo("unknown_parameter");
            assertThat(error.param()).isEqualTo(field);
            assertThat(error.getMessage()).isEqualTo("Unrecognized request argument supplied: " + field);
        }
    }

    @Test
    void acceptsChatOnlyBookkeepingOptionsButOnlyATextResponseFormat() {
        String chat = "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], ";
        assertThat(parser.parseChat(chat + "\"store\": false, \"metadata\": {\"a\": \"b\"},"
                + " \"response_format\": {\"type\": \"text\"}}").model()).isEqualTo("m");

        ApiException json = catchThrowableOfType(ApiException.class, () -> parser.parseChat(chat
                + "\"response_format\": {\"type\": \"json_object\"}}"));
        assertThat(json.code()).isEqualTo("unsupported_value");
        assertThat(json.param()).isEqualTo("response_format");
        ApiException onCompletions = catchThrowableOfType(ApiException.class, () -> parser.parse(
                "{\"model\": \"m\", \"prompt\": \"p\", \"store\": true}"));
        assertThat(onCompletions.code()).isEqualTo("unknown_parameter");
    }
}
