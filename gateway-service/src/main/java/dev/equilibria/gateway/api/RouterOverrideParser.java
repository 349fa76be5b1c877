package dev.equilibria.gateway.api;

import static dev.equilibria.gateway.api.JsonFields.absent;
import static dev.equilibria.gateway.api.JsonFields.wrongType;
import static dev.equilibria.gateway.error.ApiException.invalidRequest;

import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.PolicySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request's own router settings: the body's {@code router_config_override} object and the
 * {@code x-router-*} headers. Both are strict (an unknown setting is an error, not a silent no-op) and validated
 * before the request is routed; a bad value is a 400 naming the field or header.
 *
 * <p>Body: {@code {"policy", "overlap_score_weight", "router_temperature", "balance_abs_threshold",
 * "balance_rel_threshold", "cache_threshold", "orchestration", "remote_prefill_threshold", "refuse_when_full",
 * "prefill": {...}, "decode": {...}}}, where {@code prefill} and {@code decode} take the six policy settings for one
 * leg.
 *
 * <p>Headers: {@code x-router-policy}, {@code x-router-overlap-score-weight}, {@code x-router-temperature},
 * {@code x-router-balance-abs-threshold}, {@code x-router-balance-rel-threshold}, {@code x-router-cache-threshold},
 * {@code x-router-orchestration}, {@code x-router-remote-prefill-threshold}, {@code x-router-refuse-when-full}
 * ({@code true} or {@code false}); the six policy headers also come as
 * {@code x-router-prefill-...} and {@code x-router-decode-...} for one leg.
 */
@Component
public class RouterOverrideParser {

    public static final String BODY_FIELD = "router_config_override";
    public static final String HEADER_PREFIX = "x-router-";

    /** Policy settings by body name, with the header suffix of each. */
    private static final Map<String, String> POLICY_FIELDS = new LinkedHashMap<>();

    static {
        POLICY_FIELDS.put("policy", "policy");
        POLICY_FIELDS.put("overlap_score_weight", "overlap-score-weight");
        POLICY_FIELDS.put("router_temperature", "temperature");
        POLICY_FIELDS.put("balance_abs_threshold", "balance-abs-threshold");
        POLICY_FIELDS.put("balance_rel_threshold", "balance-rel-threshold");
        POLICY_FIELDS.put("cache_threshold", "cache-threshold");
    }

    private static final Set<String> TOP_FIELDS = Set.of("orchestration", "remote_prefill_threshold",
            "refuse_when_full", "prefill", "decode");

    /** The body layer; {@link RouterConfig#EMPTY} when the field is absent. */
    public RouterConfig fromBody(JsonNode node) {
        if (absent(node)) {
            return RouterConfig.EMPTY;
        }
        if (!node.isObject()) {
            throw wrongType(BODY_FIELD, "an object", node);
        }
        return parse(node, BODY_FIELD + ".");
    }

    /**
     * A whole configuration layer in the body format (the admin API's PUT uses it too), validated.
     *
     * @param path how fields are named in errors, for example {@code router_config_override.}; may be empty
     */
    public RouterConfig parse(JsonNode node, String path) {
        if (!node.isObject()) {
            throw wrongType(path.isEmpty() ? "body" : path.substring(0, path.length() - 1), "an object", node);
        }
        for (String name : node.propertyNames()) {
            if (!POLICY_FIELDS.containsKey(name) && !TOP_FIELDS.contains(name)) {
                throw unknown(path + name, POLICY_FIELDS.keySet() + " " + TOP_FIELDS);
            }
        }
        RouterConfig config = new RouterConfig(policySettings(node, path, false),
                policySettings(node.get("prefill"), path + "prefill.", true),
                policySettings(node.get("decode"), path + "decode.", true),
                JsonFields.string(node.get("orchestration"), path + "orchestration"),
                JsonFields.integer(node.get("remote_prefill_threshold"), path + "remote_prefill_threshold"),
                JsonFields.absent(node.get("refuse_when_full")) ? null
                        : JsonFields.bool(node.get("refuse_when_full"), path + "refuse_when_full", false));
        return validated(config, path, null);
    }

    /** The header layer; {@link RouterConfig#EMPTY} without {@code x-router-*} headers. */
    public RouterConfig fromHeaders(HttpHeaders headers) {
        Map<String, String> values = new LinkedHashMap<>();
        headers.forEach((name, list) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(HEADER_PREFIX) && !list.isEmpty()) {
                values.put(lower, list.get(0).trim());
            }
        });
        if (values.isEmpty()) {
            return RouterConfig.EMPTY;
        }
        PolicySettings shared = headerSettings(values, HEADER_PREFIX);
        PolicySettings prefill = headerSettings(values, HEADER_PREFIX + "prefill-");
        PolicySettings decode = headerSettings(values, HEADER_PREFIX + "decode-");
        String orchestration = values.remove(HEADER_PREFIX + "orchestration");
        String threshold = values.remove(HEADER_PREFIX + "remote-prefill-threshold");
        Boolean refuseWhenFull = booleanHeader(HEADER_PREFIX + "refuse-when-full",
                values.remove(HEADER_PREFIX + "refuse-when-full"));
        if (!values.isEmpty()) {
            String name = values.keySet().iterator().next();
            throw invalidRequest(name, ErrorCodes.UNSUPPORTED_PARAMETER, "unknown router header " + name
                    + " (known: " + knownHeaders() + ")");
        }
        Integer thresholdValue = null;
        if (threshold != null) {
            try {
                thresholdValue = Integer.parseInt(threshold);
            } catch (NumberFormatException e) {
                throw invalidRequest(HEADER_PREFIX + "remote-prefill-threshold", ErrorCodes.INVALID_VALUE,
                        HEADER_PREFIX + "remote-prefill-threshold must be an integer, got '" + threshold + "'");
            }
        }
        return validated(new RouterConfig(shared, prefill, decode, orchestration, thresholdValue, refuseWhenFull), "",
                HEADER_PREFIX);
    }

    private static Boolean booleanHeader(String header, String raw) {
        if (raw == null) {
            return null;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalidRequest(header, ErrorCodes.INVALID_VALUE, header + " must be true or false, got '"
                    + raw + "'");
        };
    }

    private static PolicySettings policySettings(JsonNode node, String path, boolean nested) {
        if (absent(node)) {
            return PolicySettings.EMPTY;
        }
        if (nested) {
            if (!node.isObject()) {
                throw wrongType(path.substring(0, path.length() - 1), "an object", node);
            }
            for (String name : node.propertyNames()) {
                if (!POLICY_FIELDS.containsKey(name)) {
                    throw unknown(path + name, POLICY_FIELDS.keySet().toString());
                }
            }
        }
        return new PolicySettings(JsonFields.string(node.get("policy"), path + "policy"),
                JsonFields.number(node.get("overlap_score_weight"), path + "overlap_score_weight"),
                JsonFields.number(node.get("router_temperature"), path + "router_temperature"),
                JsonFields.number(node.get("balance_abs_threshold"), path + "balance_abs_threshold"),
                JsonFields.number(node.get("balance_rel_threshold"), path + "balance_rel_threshold"),
                JsonFields.number(node.get("cache_threshold"), path + "cache_threshold"));
    }

    /** Takes (and removes) the six policy headers under {@code prefix}. */
    private static PolicySettings headerSettings(Map<String, String> values, String prefix) {
        String policy = values.remove(prefix + "policy");
        Double[] numbers = new Double[5];
        List<String> numeric = List.copyOf(POLICY_FIELDS.values()).subList(1, 6);
        for (int i = 0; i < numeric.size(); i++) {
            String header = prefix + numeric.get(i);
            String raw = values.remove(header);
            if (raw != null) {
                try {
                    numbers[i] = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    throw invalidRequest(header, ErrorCodes.INVALID_VALUE, header + " must be a number, got '"
                            + raw + "'");
                }
            }
        }
        return new PolicySettings(policy, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
    }

    /** Validates, reporting a bad field as the client named it (a body path, or a header name). */
    private static RouterConfig validated(RouterConfig config, String path, String headerPrefix) {
        try {
            return config.validate(path);
        } catch (InvalidSettingException e) {
            String param = headerPrefix == null ? e.field() : headerName(e.field());
            throw invalidRequest(param, ErrorCodes.INVALID_VALUE, param + ": " + e.problem());
        }
    }

    /** {@code prefill.router_temperature} -> {@code x-router-prefill-temperature}. */
    private static String headerName(String field) {
        String leg = "";
        String name = field;
        int dot = field.indexOf('.');
        if (dot > 0) {
            leg = field.substring(0, dot) + "-";
            name = field.substring(dot + 1);
        }
        String suffix = POLICY_FIELDS.getOrDefault(name, name.replace('_', '-'));
        return HEADER_PREFIX + leg + suffix;
    }

    private static String knownHeaders() {
        StringBuilder known = new StringBuilder();
        for (String suffix : POLICY_FIELDS.values()) {
            known.append(HEADER_PREFIX).append(suffix).append(", ");
        }
        return known.append(HEADER_PREFIX).append("orchestration, ").append(HEADER_PREFIX)
                .append("remote-prefill-threshold, ").append(HEADER_PREFIX)
                .append("refuse-when-full, and x-router-prefill-* / x-router-decode-* per leg").toString();
    }

    private static RuntimeException unknown(String field, String known) {
        return invalidRequest(field, ErrorCodes.UNSUPPORTED_PARAMETER, field + " is not a router setting (known: "
                + known + ")");
    }
}
