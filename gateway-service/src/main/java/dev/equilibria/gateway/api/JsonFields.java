package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** Reading typed fields out of a JSON request body, each problem an OpenAI 400 that names the field. */
final class JsonFields {

    private JsonFields() {
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** Absent, or an empty string or array: what clients send when they mean "none". */
    static boolean blank(JsonNode node) {
        return absent(node) || node.isString() && node.stringValue().isEmpty() || node.isArray() && node.isEmpty();
    }

    static Integer integer(JsonNode node, String field) {
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(field, "an integer", node);
        }
        if (!node.canConvertToInt()) {
            throw invalidRequest(field, ErrorCodes.INVALID_VALUE, field + " is out of range: " + node);
        }
        return node.intValue();
    }

    static Double number(JsonNode node, String field) {
        if (absent(node)) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        return node.doubleValue();
    }

    static String string(JsonNode node, String field) {
        if (absent(node)) {
            return null;
        }
        if (!node.isString()) {
            throw wrongType(field, "a string", node);
        }
        return node.stringValue();
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        if (absent(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw wrongType(field, "a boolean", node);
        }
        return node.booleanValue();
    }

    static ApiException wrongType(String field, String expected, JsonNode actual) {
        return invalidRequest(field, ErrorCodes.INVALID_TYPE, field + " must be " + expected + ", got "
                + describe(actual));
    }

    static String describe(JsonNode node) {
        String type = switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        if (node.isContainer()) {
            // never serialise a container: it may be megabytes or nested hundreds deep
            return type + " of " + node.size() + (node.isArray() ? " elements" : " fields");
        }
        String text = node.isString() ? node.stringValue() : node.toString();
        return type + " (" + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + ")";
    }
}
