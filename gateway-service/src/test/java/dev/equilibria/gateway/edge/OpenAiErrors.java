package dev.equilibria.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.EventCodec;
import tools.jackson.databind.JsonNode;

/** Checks that a response body is an OpenAI error document and leaks nothing of the gateway's insides. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** The {@code error} object, after checking it has exactly OpenAI's four fields, typed as OpenAI types them. */
    static JsonNode check(String body, String context) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(body);
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the error body is not JSON: " + body, e);
        }
        assertThat(root.isObject()).as(context).isTrue();
        assertThat(root.propertyNames()).as(context).containsExactly("error");
        JsonNode error = root.path("error");
        assertThat(error.propertyNames()).as(context).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.path("message").isString()).as(context).isTrue();
        assertThat(error.path("message").stringValue()).as(context).isNotBlank();
        assertThat(error.path("type").isString()).as(context).isTrue();
        assertThat(error.path("param").isString() || error.path("param").isNull()).as(context).isTrue();
        assertThat(error.path("code").isString() || error.path("code").isNull()).as(context).isTrue();
        assertNoInternals(body, context);
        return error;
    }

    static void assertNoInternals(String body, String context) {
        assertThat(body).as(context).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:")
                .doesNotContain("dev.equilibria").doesNotContain("reactor.").doesNotContain("tools.jackson");
    }
}
