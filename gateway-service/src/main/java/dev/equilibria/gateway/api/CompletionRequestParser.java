package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.protocol.event.EventCodec;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Reads a {@code POST /v1/completions} body field by field, so each problem gets a 400 that names the field at
 * fault. Unknown fields are ignored, as the OpenAI API does; known options the gateway cannot honour (stop
 * sequences, echo, logprobs, several choices) are refused rather than silently dropped.
 */
@Component
public class CompletionRequestParser {

    /** OpenAI's default for the completions API. */
    public static final int DEFAULT_MAX_TOKENS = 16;

    private static final ObjectReader READER = EventCodec.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public CompletionRequest parse(String body) {
        JsonNode root = readObject(body);
        String model = model(root.get("model"));
        Prompt prompt = prompt(root.get("prompt"));
        int maxTokens = integer(root, "max_tokens", DEFAULT_MAX_TOKENS);
        if (maxTokens <= 0) {
            throw invalidRequest("max_tokens", ErrorCodes.INVALID_VALUE,
                    "max_tokens must be at least 1, got " + maxTokens);
        }
        int n = integer(root, "n", 1);
        if (n != 1) {
            throw invalidRequest("n", ErrorCodes.UNSUPPORTED_VALUE,
                    "only n=1 is supported (one choice per request), got n=" + n);
        }
        boolean stream = bool(root, "stream", false);
        boolean includeUsage = includeUsage(root.get("stream_options"));
        refuseUnsupported(root);
        return new CompletionRequest(model, prompt, maxTokens, stream, includeUsage);
    }

    private static JsonNode readObject(String body) {
        if (body == null || body.isBlank()) {
            throw invalidRequest(null, ErrorCodes.INVALID_JSON,
                    "the request body is empty; expected a JSON object with 'model' and 'prompt'");
        }
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JacksonException e) {
            throw invalidRequest(null, ErrorCodes.INVALID_JSON,
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalidRequest(null, ErrorCodes.INVALID_JSON, "the request body must be a JSON object");
        }
        return root;
    }

    private static String model(JsonNode node) {
        if (absent(node)) {
            throw invalidRequest("model", ErrorCodes.MISSING_PARAMETER, "you must provide a model parameter");
        }
        if (!node.isString()) {
            throw wrongType("model", "a string", node);
        }
        if (node.stringValue().isBlank()) {
            throw invalidRequest("model", ErrorCodes.INVALID_VALUE, "model must not be blank");
        }
        return node.stringValue();
    }

    /** A string, an array of token ids, or a batch of exactly one of those. */
    private static Prompt prompt(JsonNode node) {
        if (absent(node)) {
            throw invalidRequest("prompt", ErrorCodes.MISSING_PARAMETER, "you must provide a prompt parameter");
        }
        if (node.isString()) {
            return new Prompt.Text(node.stringValue());
        }
        if (!node.isArray()) {
            throw wrongType("prompt", "a string or an array of token ids", node);
        }
        if (node.isEmpty()) {
            throw invalidRequest("prompt", ErrorCodes.INVALID_VALUE, "prompt must not be empty");
        }
        JsonNode first = node.get(0);
        if (first.isString() || first.isArray()) {
            if (node.size() > 1) {
                throw invalidRequest("prompt", ErrorCodes.UNSUPPORTED_VALUE,
                        "batched prompts are not supported; send one prompt per request");
            }
            return first.isString() ? new Prompt.Text(first.stringValue()) : tokenIds(first);
        }
        return tokenIds(node);
    }

    private static Prompt tokenIds(JsonNode array) {
        if (array.isEmpty()) {
            throw invalidRequest("prompt", ErrorCodes.INVALID_VALUE, "prompt must not be empty");
        }
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber()) {
                throw invalidRequest("prompt", ErrorCodes.INVALID_TYPE, "prompt must be a string or an array of"
                        + " token ids; element " + i + " is " + describe(id));
            }
            if (!id.canConvertToInt() || id.intValue() < 0) {
                throw invalidRequest("prompt", ErrorCodes.INVALID_VALUE,
                        "token ids must be non-negative 32-bit integers; element " + i + " is " + id);
            }
            ids[i] = id.intValue();
        }
        return new Prompt.TokenIds(ids);
    }

    private static int integer(JsonNode root, String field, int fallback) {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(field, "an integer", node);
        }
        if (!node.canConvertToInt()) {
            throw invalidRequest(field, ErrorCodes.INVALID_VALUE, field + " is out of range: " + node);
        }
        return node.intValue();
    }

    private static boolean bool(JsonNode root, String field, boolean fallback) {
        JsonNode node = root.get(field);
        if (absent(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw wrongType(field, "a boolean", node);
        }
        return node.booleanValue();
    }

    private static boolean includeUsage(JsonNode options) {
        if (absent(options)) {
            return false;
        }
        if (!options.isObject()) {
            throw wrongType("stream_options", "an object", options);
        }
        JsonNode include = options.get("include_usage");
        if (absent(include)) {
            return false;
        }
        if (!include.isBoolean()) {
            throw wrongType("stream_options.include_usage", "a boolean", include);
        }
        return include.booleanValue();
    }

    private static void refuseUnsupported(JsonNode root) {
        if (bool(root, "echo", false)) {
            throw invalidRequest("echo", ErrorCodes.UNSUPPORTED_VALUE, "echo=true is not supported");
        }
        if (integer(root, "best_of", 1) != 1) {
            throw invalidRequest("best_of", ErrorCodes.UNSUPPORTED_VALUE, "only best_of=1 is supported");
        }
        for (String field : new String[] {"stop", "suffix"}) {
            if (!blank(root.get(field))) {
                throw invalidRequest(field, ErrorCodes.UNSUPPORTED_PARAMETER, field + " is not supported yet");
            }
        }
        if (!absent(root.get("logprobs"))) {
            throw invalidRequest("logprobs", ErrorCodes.UNSUPPORTED_PARAMETER, "logprobs is not supported yet");
        }
    }

    /** Absent, or an empty string or array: what clients send when they mean "none". */
    private static boolean blank(JsonNode node) {
        return absent(node) || node.isString() && node.stringValue().isEmpty() || node.isArray() && node.isEmpty();
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static ApiException wrongType(String field, String expected, JsonNode actual) {
        return invalidRequest(field, ErrorCodes.INVALID_TYPE, field + " must be " + expected + ", got "
                + describe(actual));
    }

    private static String describe(JsonNode node) {
        String type = switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        String text = node.toString();
        return type + " (" + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + ")";
    }
}
