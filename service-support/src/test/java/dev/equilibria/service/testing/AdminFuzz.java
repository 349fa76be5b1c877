package dev.equilibria.service.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.event.EventCodec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Seeded bad requests for one admin write endpoint. A request starts from a valid multi-field body (every field set
 * and different from the state in force) and breaks it in one way: one field gets a bad value while the others stay
 * valid, an unknown field is added, the JSON is cut short or mangled, the root is not an object, the nesting or a
 * number is absurd, or a valid body comes with a content type other than JSON. Every case must be refused whole.
 */
public final class AdminFuzz {

    /** One bad request: what it is (for assertion messages), its content type (null: none) and its bytes. */
    public record Case(String label, String contentType, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Bodies no JSON object endpoint can accept, whatever its fields. */
    private static final List<String> GARBAGE = List.of("[]", "[{}]", "42", "\"x\"", "true", "{", "}", "{}}",
            "{\"a\" 1}", "{'a': 1}", "{\"a\": 1,}", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1} x", "/* c */ {\"a\": 1}",
            "{\"a\": NaN}", "{\"a\": 0x10}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": \"\u0000\"}",
            "\u0000", "{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
            "{\"a\": 1" + "0".repeat(5000) + "}", "{\"a\": \"" + "\\u".repeat(3) + "\"}");
    private static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream");

    private final Map<String, String> valid;
    private final Map<String, List<String>> bad;
    private final List<String> unknownFields;
    private final boolean emptyBodyIsValid;

    /**
     * @param valid            a valid body, field by field (JSON fragments), in order
     * @param bad              for each field, values that make the whole request invalid with the others as given
     * @param unknownFields    names the endpoint does not know
     * @param emptyBodyIsValid whether an empty body (or {@code null}) is a valid request, so not a bad case here
     */
    public AdminFuzz(Map<String, String> valid, Map<String, List<String>> bad, List<String> unknownFields,
              boolean emptyBodyIsValid) {
        this.valid = new LinkedHashMap<>(valid);
        this.bad = bad;
        this.unknownFields = unknownFields;
        this.emptyBodyIsValid = emptyBodyIsValid;
    }

    public String validBody() {
        return object(valid);
    }

    /** {@code count} bad requests drawn from {@code random}. */
    public List<Case> cases(SplittableRandom random, int count) {
        List<String> fields = new ArrayList<>(new TreeSet<>(bad.keySet())); // sorted: the same cases every run
        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            int kind = random.nextInt(10);
            Map<String, String> body = new LinkedHashMap<>(valid);
            if (kind < 5) { // one bad field among valid ones
                String field = fields.get(random.nextInt(fields.size()));
                List<String> values = bad.get(field);
                body.put(field, values.get(random.nextInt(values.size())));
                cases.add(json("bad " + field, object(body)));
            } else if (kind == 5) { // an unknown field among valid ones
                body.put(unknownFields.get(random.nextInt(unknownFields.size())), random.nextBoolean() ? "1"
                        : "{\"x\": [1, {\"y\": null}]}");
                cases.add(json("unknown field", object(body)));
            } else if (kind == 6) { // cut short
                String whole = object(body);
                String cut = whole.substring(0, 1 + random.nextInt(whole.length() - 1));
                cases.add(json("truncated", cut));
            } else if (kind == 7) { // not JSON, not an object, or absurd
                cases.add(json("garbage", GARBAGE.get(random.nextInt(GARBAGE.size()))));
            } else if (kind == 8) { // a valid body under another content type, or none
                int pick = random.nextInt(WRONG_CONTENT_TYPES.size() + 1);
                String type = pick == WRONG_CONTENT_TYPES.size() ? null : WRONG_CONTENT_TYPES.get(pick);
                cases.add(new Case("content type " + type, type, object(body).getBytes(StandardCharsets.UTF_8)));
            } else if (!emptyBodyIsValid && random.nextBoolean()) { // nothing at all
                cases.add(json("empty", List.of("", " ", "\n", "null").get(random.nextInt(4))));
            } else { // invalid UTF-8 in a field's value
                byte[] prefix = ("{\"" + fields.get(0) + "\": \"").getBytes(StandardCharsets.UTF_8);
                byte[] bytes = new byte[prefix.length + 4];
                System.arraycopy(prefix, 0, bytes, 0, prefix.length);
                bytes[prefix.length] = (byte) 0xC3; // a lead byte followed by no continuation byte
                bytes[prefix.length + 1] = (byte) 0x28;
                bytes[prefix.length + 2] = '"';
                bytes[prefix.length + 3] = '}';
                cases.add(new Case("invalid UTF-8", "application/json", bytes));
            }
        }
        return cases;
    }

    private static Case json(String label, String body) {
        return new Case(label, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    public static String object(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(name)
                .append("\": ").append(value));
        return json.append('}').toString();
    }

    /** Sends one case to the endpoint under test, with a valid token. */
    @FunctionalInterface
    public interface CaseSender {
        HttpResponse<String> send(Case bad) throws Exception;
    }

    /** Reads back, through the admin API, everything a write to the endpoint could change. */
    @FunctionalInterface
    public interface StateReader {
        Object read() throws Exception;
    }

    /**
     * Sends {@code count} cases drawn with {@code seed}: each must be refused with a 4xx problem and leave the state
     * exactly as it was. {@code request} names the endpoint in assertion messages ("PUT /admin/slo").
     */
    public void assertEveryCaseRefusedWhole(String request, long seed, int count, CaseSender sender,
                                            StateReader state) throws Exception {
        Object before = state.read();
        for (Case bad : cases(new SplittableRandom(seed), count)) {
            String what = request + " " + bad.label() + ": " + abbreviate(bad.text());
            HttpResponse<String> response = sender.send(bad);

            assertThat(response.statusCode()).as(what + " -> " + response.body()).isBetween(400, 499);
            assertProblem(response, what);
            assertThat(state.read()).as(what + " changed the state").isEqualTo(before);
        }
    }

    // ---- what every admin fuzz test asserts and builds with

    /** A refused admin write: an RFC 7807 problem with every member set and its status, no stack trace. */
    public static void assertProblem(HttpResponse<String> response, String request) {
        String what = request + " -> " + response.statusCode() + " " + response.body();
        assertThat(response.headers().firstValue("content-type").orElse("")).as(what)
                .startsWith("application/problem+json");
        JsonNode problem = EventCodec.mapper().readTree(response.body());
        assertThat(problem.path("type").asString()).as(what + " type").isNotBlank();
        assertThat(problem.path("title").asString()).as(what + " title").isNotBlank();
        assertThat(problem.path("status").asInt()).as(what + " status").isEqualTo(response.statusCode());
        assertThat(problem.path("detail").asString()).as(what + " detail").isNotBlank();
        assertThat(response.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("at dev.equilibria").doesNotContain("at java.");
    }

    /** Field names and their JSON values, in order: {@code fields("a", "1", "b", "\"x\"")}. */
    public static Map<String, String> fields(String... nameValue) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            fields.put(nameValue[i], nameValue[i + 1]);
        }
        return fields;
    }

    /** Shared bad values plus a field's own. */
    public static List<String> with(List<String> common, String... more) {
        return Stream.concat(common.stream(), Arrays.stream(more)).toList();
    }

    /** A case's body, short enough for an assertion message. */
    public static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }
}
