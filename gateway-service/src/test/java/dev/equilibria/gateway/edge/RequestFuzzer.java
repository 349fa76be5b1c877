package dev.equilibria.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates hostile requests for the public API from a seeded random source: a valid base request of one of the
 * APIs, then one mutation (a wrong-typed or extreme value for any field, a missing field, an unknown field, broken
 * JSON, invalid UTF-8, a huge or deeply nested value, a wrong content type or method, an empty body). The same seed
 * always gives the same cases.
 */
final class RequestFuzzer {

    record Case(String method, String path, String contentType, byte[] body, String mutation) {

        String describe() {
            String text = body == null ? "<no body>" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] " + mutation + ": "
                    + (text.length() <= 200 ? text : text.substring(0, 200) + "... (" + body.length + " bytes)");
        }
    }

    private static final List<String> COMPLETION_FIELDS = List.of("model", "prompt", "max_tokens", "stream",
            "stream_options", "stop", "stop_token_ids", "n", "echo", "best_of", "suffix", "logprobs",
            "router_config_override", "temperature", "top_p", "seed", "user", "logit_bias");
    private static final List<String> CHAT_FIELDS = List.of("model", "messages", "max_tokens",
            "max_completion_tokens", "stream", "stream_options", "stop", "stop_token_ids", "n", "logprobs", "tools",
            "response_format", "router_config_override", "temperature", "metadata", "tool_choice");
    private static final List<String> UNKNOWN_FIELDS = List.of("frobnicate", "", "MODEL", "max-tokens",
            "prompt ", "__proto__", "\u0000", "\u00e9t\u00e9", "ignore_eos");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
            "a/b/c", "application/json; charset=utf-8", "application/vnd.api+json", "json", ";;;");
    private static final List<String> EXTREME_NUMBERS = List.of("-1", "0", "2147483647", "2147483648",
            "-2147483649", "9223372036854775808", "1e308", "-1e308", "1.5", "0.0", "-0", "1e-400", "123456789012345678901234567890");
    private static final List<String> BROKEN_JSON = List.of("{", "}", "{\"model\"", "{\"model\": }", "{,}",
            "{\"a\":1,}", "[1,2", "{'model': 'x'}", "{\"model\": \"x\" \"prompt\": \"y\"}", "nul", "tru",
            "{\"model\": NaN}", "{\"model\": Infinity}", "{} {}", "{\"model\": \"x\"}}", "\"unterminated",
            "{\"prompt\": \"\\uZZZZ\"}", "{\"prompt\": \"\\ud800\"}", "/* c */ {}", "\u0000{}");

    private final SplittableRandom random;
    private final String model;
    private final int maxBodyBytes;

    RequestFuzzer(SplittableRandom random, String model, int maxBodyBytes) {
        this.random = random;
        this.model = model;
        this.maxBodyBytes = maxBodyBytes;
    }

    Case next() {
        boolean chat = random.nextBoolean();
        String path = chat ? "/v1/chat/completions" : "/v1/completions";
        Map<String, String> fields = base(chat);
        List<String> known = chat ? CHAT_FIELDS : COMPLETION_FIELDS;
        String json = "application/json";
        return switch (random.nextInt(13)) {
            case 0 -> new Case("POST", path, json, bytes(object(fields)), "valid");
            case 1, 2 -> {
                String field = pick(known);
                fields.put(field, value(3));
                yield new Case("POST", path, json, bytes(object(fields)), "random value for " + field);
            }
            case 3 -> {
                String field = pick(known);
                fields.put(field, pick(EXTREME_NUMBERS));
                yield new Case("POST", path, json, bytes(object(fields)), "extreme number for " + field);
            }
            case 4 -> {
                String field = pick(List.of("model", chat ? "messages" : "prompt"));
                fields.remove(field);
                yield new Case("POST", path, json, bytes(object(fields)), "missing " + field);
            }
            case 5 -> {
                String field = pick(UNKNOWN_FIELDS);
                fields.put(field, value(1));
                yield new Case("POST", path, json, bytes(object(fields)), "unknown field");
            }
            case 6 -> {
                String text = random.nextBoolean() ? pick(BROKEN_JSON) : truncate(object(fields));
                yield new Case("POST", path, json, bytes(text), "broken json");
            }
            case 7 -> new Case("POST", path, json, invalidUtf8(bytes(object(fields))), "invalid utf-8");
            case 8 -> {
                String field = chat ? "messages" : "prompt";
                fields.put(field, huge(chat));
                yield new Case("POST", path, json, bytes(object(fields)), "huge " + field);
            }
            case 9 -> {
                String field = pick(known);
                int depth = 200 + random.nextInt(3000);
                boolean arrays = random.nextBoolean();
                fields.put(field, (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth));
                yield new Case("POST", path, json, bytes(object(fields)), "nested " + depth + " deep in " + field);
            }
            case 10 -> {
                String type = pick(CONTENT_TYPES);
                yield new Case("POST", path, type, bytes(object(fields)), "content type " + type);
            }
            case 11 -> {
                String body = pick(List.of("", " ", "\n\n", "null", "[]", "123", "\"text\"", "true", "{}", "[{}]"));
                yield new Case("POST", path, random.nextBoolean() ? json : null, bytes(body), "empty or not an object");
            }
            default -> models();
        };
    }

    private Case models() {
        return switch (random.nextInt(5)) {
            case 0 -> new Case("GET", "/v1/models", null, null, "models");
            case 1 -> new Case("GET", "/v1/models/" + pick(List.of(model, "gpt-17", "%2e%2e", "a%00b", "x".repeat(
                    3000), "%F0%9F%98%80")), null, null, "one model");
            case 2 -> new Case(pick(List.of("POST", "PUT", "DELETE", "PATCH")), "/v1/models", "application/json",
                    bytes("{}"), "wrong method on models");
            case 3 -> new Case(pick(List.of("GET", "PUT", "DELETE")), pick(List.of("/v1/completions",
                    "/v1/chat/completions")), null, null, "wrong method");
            default -> new Case("POST", "/v1/" + pick(List.of("embeddings", "completion", "chat", "models/x/y")),
                    "application/json", bytes("{}"), "unknown path");
        };
    }

    private Map<String, String> base(boolean chat) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", quote(model));
        if (chat) {
            fields.put("messages", "[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\","
                    + " \"content\": " + quote(words()) + "}]");
            // both, so nulling one still bounds the generation
            fields.put("max_tokens", Integer.toString(1 + random.nextInt(4)));
            fields.put("max_completion_tokens", Integer.toString(1 + random.nextInt(4)));
        } else {
            fields.put("prompt", random.nextBoolean() ? quote(words()) : tokenIds(1 + random.nextInt(20)));
            fields.put("max_tokens", Integer.toString(1 + random.nextInt(4)));
        }
        if (random.nextBoolean()) {
            fields.put("stream", "true");
        }
        return fields;
    }

    /** A random JSON value, nested up to {@code depth}. */
    private String value(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Integer.toString(random.nextInt(-5, 9));
            case 3 -> pick(EXTREME_NUMBERS);
            case 4 -> quote(random.nextBoolean() ? words() : "");
            case 5 -> quote(garbage());
            case 6, 7 -> {
                int n = random.nextInt(4);
                StringBuilder array = new StringBuilder("[");
                for (int i = 0; i < n; i++) {
                    array.append(i == 0 ? "" : ",").append(value(depth - 1));
                }
                yield array.append(']').toString();
            }
            default -> {
                int n = random.nextInt(3);
                StringBuilder object = new StringBuilder("{");
                for (int i = 0; i < n; i++) {
                    object.append(i == 0 ? "" : ",").append(quote(pick(List.of("role", "content", "type", "text",
                            "policy", "include_usage", "x")))).append(':').append(value(depth - 1));
                }
                yield object.append('}').toString();
            }
        };
    }

    private String huge(boolean chat) {
        int kind = random.nextInt(3);
        if (kind == 0) { // over the body limit
            String text = "lorem ".repeat(maxBodyBytes / 6 + 10);
            return chat ? "[{\"role\": \"user\", \"content\": " + quote(text) + "}]" : quote(text);
        }
        if (kind == 1) { // within the body limit, over the prompt-token limit
            String text = "alpha beta gamma delta ".repeat(maxBodyBytes / 40);
            return chat ? "[{\"role\": \"user\", \"content\": " + quote(text) + "}]" : quote(text);
        }
        // token ids out of range
        return chat ? "[{\"role\": \"user\", \"content\": [1, 2]}]"
                : "[" + pick(List.of("-1", "2147483648", "99999999999", "1e9", "1.0", "\"7\"")) + ", 1, 2]";
    }

    private String tokenIds(int n) {
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            ids.append(i == 0 ? "" : ",").append(random.nextInt(0, 100_000));
        }
        return ids.append(']').toString();
    }

    private String words() {
        List<String> words = List.of("the", "gateway", "routes", "tokens", "\u00fcber", "\u65e5\u672c", "\ud83d\ude00",
                "\\n", "\\\"quoted\\\"", "<|eot_id|>", "\\u0000");
        StringBuilder text = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(pick(words));
        }
        return text.toString();
    }

    private String garbage() {
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(0x20, 0x2FFF);
            if (c == '"' || c == '\\' || (c >= 0xD800 && c <= 0xDFFF)) {
                c = 'x';
            }
            text.appendCodePoint(c);
        }
        return text.toString();
    }

    private String truncate(String json) {
        return json.substring(0, random.nextInt(json.length()));
    }

    private byte[] invalidUtf8(byte[] body) {
        int at = random.nextInt(body.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        List<byte[]> bad = List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88});
        out.writeBytes(bad.get(random.nextInt(bad.size())));
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append(quote(name)).append(": ")
                .append(value));
        return json.append('}').toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\u0000", "\\u0000") + "\"";
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
