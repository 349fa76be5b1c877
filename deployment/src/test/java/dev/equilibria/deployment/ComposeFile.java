package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml as docker compose reads it: anchors and merge keys resolved, then {@code ${VAR}},
 * {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?error}} and {@code $$} interpolated from a given
 * environment, in values only (never keys), as the compose specification defines.
 */
final class ComposeFile {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\\{[^{}]*})*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private ComposeFile() {
    }

    /** The file as written: anchors resolved, variables untouched. */
    static JsonNode raw() {
        return Yamls.load(Repo.path(Repo.COMPOSE_FILE));
    }

    /** The file as compose runs it with {@code environment} (no other variables set). */
    static JsonNode interpolated(Map<String, String> environment) {
        return interpolate(raw(), environment);
    }

    static JsonNode interpolate(JsonNode node, Map<String, String> environment) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), interpolate(field.getValue(), environment));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(element -> copy.add(interpolate(element, environment)));
            return copy;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(interpolate(node.asText(), environment));
        }
        return node;
    }

    static String interpolate(String value, Map<String, String> environment) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else if (matcher.group(4) != null) {
                replacement = environment.getOrDefault(matcher.group(4), "");
            } else {
                String name = matcher.group(1);
                String operator = matcher.group(2);
                String argument = matcher.group(3) == null ? "" : matcher.group(3);
                String current = environment.get(name);
                boolean unset = operator != null && operator.startsWith(":")
                        ? current == null || current.isEmpty() : current == null;
                if (operator == null) {
                    replacement = current == null ? "" : current;
                } else if (operator.endsWith("-")) {
                    replacement = unset ? interpolate(argument, environment) : current;
                } else if (operator.endsWith("?")) {
                    if (unset) {
                        throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                    }
                    replacement = current;
                } else {
                    replacement = unset ? "" : interpolate(argument, environment);
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
