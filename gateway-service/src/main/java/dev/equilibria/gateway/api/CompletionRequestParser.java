package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.api.JsonFields.absent;
import static dev.equilibria.gateway.api.JsonFields.blank;
import static dev.equilibria.gateway.api.JsonFields.bool;
import static dev.equilibria.gateway.api.JsonFields.describe;
import static dev.equilibria.gateway.api.JsonFields.integer;
import static dev.equilibria.gateway.api.JsonFields.wrongType;
import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.routing.config.RouterConfig;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Reads {@code POST /v1/completions} and {@code POST /v1/chat/completions} bodies field by field, so each problem
 * gets a 400 that names the field at fault. Top-level fields are checked against {@link RequestFields}: an
 * unrecognised one is a 400 {@code unknown_parameter}, as the OpenAI API answers; OpenAI sampling options that do not
 * change what a request may cost or return in shape (temperature, top_p, seed, user, ...) are accepted and ignored;
 * known options the gateway cannot honour (echo, logprobs, suffix, several choices, tools, a non-text response
 * format) are refused rather than silently dropped.
 */
@Component
public class CompletionRequestParser {

    /** OpenAI's default for the completions API. */
    public static final int DEFAULT_MAX_TOKENS = 16;
    /** OpenAI accepts up to four stop sequences. */
    public static final int MAX_STOP_SEQUENCES = 4;

    private static final ObjectReader READER = EventCodec.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final RouterOverrideParser overrides;

    public CompletionRequestParser() {
        this(new RouterOverrideParser());
    }

    public CompletionRequestParser(RouterOverrideParser overrides) {
        this.overrides = overrides;
    }

    /** A legacy completions body. */
    public CompletionRequest parse(String body) {
        JsonNode root = readObject(body, "'model' and 'prompt'");
        RequestFields.checkKnown(root, RequestFields.COMPLETIONS);
        String model = model(root.get("model"));
        Prompt prompt = prompt(root.get("prompt"));
        int maxTokens = maxTokens(root, "max_tokens", DEFAULT_MAX_TOKENS);
        refuseUnsupportedCompletionOptions(root);
        return common(root, model, prompt, maxTokens);
    }

    /** A chat completions body. */
    public CompletionRequest parseChat(String body) {
        JsonNode root = readObject(body, "'model' and 'messages'");
        RequestFields.checkKnown(root, RequestFields.CHAT);
        String model = model(root.get("model"));
        Prompt prompt = new Prompt.Chat(messages(root.get("messages")));
        // max_completion_tokens replaced max_tokens in the chat API; without either, generate to the context's end
        int maxTokens = !absent(root.get("max_completion_tokens"))
                ? maxTokens(root, "max_completion_tokens", CompletionRequest.TO_CONTEXT_END)
                : maxTokens(root, "max_tokens", CompletionRequest.TO_CONTEXT_END);
        if (bool(root.get("logprobs"), "logprobs", false)) {
            throw invalidRequest("logprobs", ErrorCodes.UNSUPPORTED_VALUE, "logprobs=true is not supported");
        }
        for (String field : new String[] {"tools", "functions"}) {
            if (!blank(root.get(field))) {
                throw invalidRequest(field, ErrorCodes.UNSUPPORTED_PARAMETER, field + " are not supported");
            }
        }
        responseFormat(root.get("response_format"));
        return common(root, model, prompt, maxTokens);
    }

    private CompletionRequest common(JsonNode root, String model, Prompt prompt, int maxTokens) {
        Integer n = integer(root.get("n"), "n");
        if (n != null && n != 1) {
            throw invalidRequest("n", ErrorCodes.UNSUPPORTED_VALUE,
                    "only n=1 is supported (one choice per request), got n=" + n);
        }
        boolean stream = bool(root.get("stream"), "stream", false);
        boolean includeUsage = includeUsage(root.get("stream_options"));
        List<String> stop = stop(root.get("stop"));
        int[] stopTokenIds = stopTokenIds(root.get("stop_token_ids"));
        RouterConfig override = overrides.fromBody(root.get(RouterOverrideParser.BODY_FIELD));
        return new CompletionRequest(model, prompt, maxTokens, stream, includeUsage, stop, stopTokenIds, override);
    }

    private static JsonNode readObject(String body, String expected) {
        if (body == null || body.isBlank()) {
            throw invalidRequest(null, ErrorCodes.INVALID_JSON,
                    "the request body is empty; expected a JSON object with " + expected);
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

    private static int maxTokens(JsonNode root, String field, int fallback) {
        Integer value = integer(root.get(field), field);
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw invalidRequest(field, ErrorCodes.INVALID_VALUE, field + " must be at least 1, got " + value);
        }
        return value;
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
        return new Prompt.TokenIds(ids(array, "prompt", "prompt must be a string or an array of token ids"));
    }

    private static int[] ids(JsonNode array, String field, String typeMessage) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber()) {
                throw invalidRequest(field, ErrorCodes.INVALID_TYPE, typeMessage + "; element " + i + " is "
                        + describe(id));
            }
            if (!id.canConvertToInt() || id.intValue() < 0) {
                throw invalidRequest(field, ErrorCodes.INVALID_VALUE,
                        "token ids must be non-negative 32-bit integers; element " + i + " is " + id);
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (absent(node)) {
            throw invalidRequest("messages", ErrorCodes.MISSING_PARAMETER, "you must provide a messages parameter");
        }
        if (!node.isArray()) {
            throw wrongType("messages", "an array of messages", node);
        }
        if (node.isEmpty()) {
            throw invalidRequest("messages", ErrorCodes.INVALID_VALUE, "messages must contain at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode message = node.get(i);
            if (!message.isObject()) {
                throw wrongType(path, "an object", message);
            }
            String role = JsonFields.string(message.get("role"), path + ".role");
            if (role == null) {
                throw invalidRequest(path + ".role", ErrorCodes.MISSING_PARAMETER, path + " has no role");
            }
            role = switch (role) {
                case "developer" -> "system";
                case "system", "user", "assistant", "tool" -> role;
                default -> throw invalidRequest(path + ".role", ErrorCodes.INVALID_VALUE, "unknown role '" + role
                        + "' (expected system, developer, user, assistant or tool)");
            };
            messages.add(new ChatMessage(role, content(message.get("content"), path + ".content",
                    role.equals("assistant"))));
        }
        return messages;
    }

    /** A string, or an array of parts of which only text parts are supported. */
    private static String content(JsonNode node, String field, boolean mayBeAbsent) {
        if (absent(node)) {
            if (mayBeAbsent) {
                return "";
            }
            throw invalidRequest(field, ErrorCodes.MISSING_PARAMETER, field + " is required");
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (!node.isArray()) {
            throw wrongType(field, "a string or an array of content parts", node);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < node.size(); i++) {
            JsonNode part = node.get(i);
            String type = part.isObject() ? JsonFields.string(part.get("type"), field + "[" + i + "].type") : null;
            if (!"text".equals(type)) {
                throw invalidRequest(field + "[" + i + "]", ErrorCodes.UNSUPPORTED_VALUE,
                        "only text content parts are supported, got " + describe(part));
            }
            String partText = JsonFields.string(part.get("text"), field + "[" + i + "].text");
            text.append(partText == null ? "" : partText);
        }
        return text.toString();
    }

    private static List<String> stop(JsonNode node) {
        if (blank(node)) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        if (!node.isArray()) {
            throw wrongType("stop", "a string or an array of strings", node);
        }
        if (node.size() > MAX_STOP_SEQUENCES) {
            throw invalidRequest("stop", ErrorCodes.INVALID_VALUE, "stop takes at most " + MAX_STOP_SEQUENCES
                    + " sequences, got " + node.size());
        }
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isString()) {
                throw wrongType("stop", "a string or an array of strings", element);
            }
            if (element.stringValue().isEmpty()) {
                throw invalidRequest("stop", ErrorCodes.INVALID_VALUE, "stop sequences must not be empty");
            }
            stops.add(element.stringValue());
        }
        return stops;
    }

    private static int[] stopTokenIds(JsonNode node) {
        if (blank(node)) {
            return new int[0];
        }
        if (!node.isArray()) {
            throw wrongType("stop_token_ids", "an array of token ids", node);
        }
        return ids(node, "stop_token_ids", "stop_token_ids must be an array of token ids");
    }

    private static boolean includeUsage(JsonNode options) {
        if (absent(options)) {
            return false;
        }
        if (!options.isObject()) {
            throw wrongType("stream_options", "an object", options);
        }
        return bool(options.get("include_usage"), "stream_options.include_usage", false);
    }

    /** Only plain text output: JSON modes would need constrained decoding the workers do not do. */
    private static void responseFormat(JsonNode node) {
        if (absent(node)) {
            return;
        }
        if (!node.isObject()) {
            throw wrongType("response_format", "an object", node);
        }
        String type = JsonFields.string(node.get("type"), "response_format.type");
        if (type != null && !type.equals("text")) {
            throw invalidRequest("response_format", ErrorCodes.UNSUPPORTED_VALUE,
                    "only response_format {\"type\": \"text\"} is supported, got type '" + type + "'");
        }
    }

    private static void refuseUnsupportedCompletionOptions(JsonNode root) {
        if (bool(root.get("echo"), "echo", false)) {
            throw invalidRequest("echo", ErrorCodes.UNSUPPORTED_VALUE, "echo=true is not supported");
        }
        Integer bestOf = integer(root.get("best_of"), "best_of");
        if (bestOf != null && bestOf != 1) {
            throw invalidRequest("best_of", ErrorCodes.UNSUPPORTED_VALUE, "only best_of=1 is supported");
        }
        if (!blank(root.get("suffix"))) {
            throw invalidRequest("suffix", ErrorCodes.UNSUPPORTED_PARAMETER, "suffix is not supported yet");
        }
        if (!absent(root.get("logprobs"))) {
            throw invalidRequest("logprobs", ErrorCodes.UNSUPPORTED_PARAMETER, "logprobs is not supported yet");
        }
    }
}
