package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates rendered manifests against the Kubernetes API schema, offline. The official Kubernetes Java client's
 * models are generated from the Kubernetes OpenAPI document and each carries a validator that rejects fields the
 * schema does not define, missing required fields and objects where scalars belong (and the reverse), recursively.
 * On top of that: the API group of each kind, object and label naming rules, and string-only labels and
 * annotations. ServiceMonitor (a prometheus-operator CRD, not in that schema) gets a structural check.
 */
final class KubernetesSchemas {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    /** Kinds the chart may render, with their API group and version. */
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Deployment", "apps/v1",
            "StatefulSet", "apps/v1",
            "Service", "v1",
            "ConfigMap", "v1",
            "Secret", "v1",
            "ServiceAccount", "v1",
            "PodDisruptionBudget", "policy/v1",
            "Role", "rbac.authorization.k8s.io/v1",
            "RoleBinding", "rbac.authorization.k8s.io/v1",
            "ServiceMonitor", "monitoring.coreos.com/v1");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private KubernetesSchemas() {
    }

    /** Every problem found in {@code manifest}, empty when it is valid. */
    static List<String> problems(JsonNode manifest) {
        List<String> problems = new ArrayList<>();
        String kind = manifest.path("kind").asText();
        String name = Rendered.name(manifest);
        String where = kind + " " + name + ": ";
        String expected = API_VERSIONS.get(kind);
        if (expected == null) {
            problems.add(where + "kind not expected from this chart");
            return problems;
        }
        if (!expected.equals(manifest.path("apiVersion").asText())) {
            problems.add(where + "apiVersion " + manifest.path("apiVersion").asText() + ", expected " + expected);
        }
        checkMetadata(manifest, where, problems);
        if (kind.equals("ServiceMonitor")) {
            checkServiceMonitor(manifest, where, problems);
        } else {
            String version = expected.substring(expected.indexOf('/') + 1);
            validate(MODELS + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind, manifest,
                    where, problems);
        }
        for (JsonNode container : podContainers(manifest)) {
            for (JsonNode env : Rendered.elements(container.path("env"))) {
                if (!ENV_NAME.matcher(env.path("name").asText()).matches()) {
                    problems.add(where + "invalid env var name '" + env.path("name").asText() + "'");
                }
            }
        }
        return problems;
    }

    private static void validate(String modelClass, JsonNode manifest, String where, List<String> problems) {
        try {
            Method validator = Class.forName(modelClass).getMethod("validateJsonElement",
                    com.google.gson.JsonElement.class);
            validator.invoke(null, JsonParser.parseString(manifest.toString()));
        } catch (InvocationTargetException e) {
            problems.add(where + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            problems.add(where + "no schema model " + modelClass + ": " + e);
        }
    }

    private static void checkMetadata(JsonNode manifest, String where, List<String> problems) {
        JsonNode metadata = manifest.path("metadata");
        String name = metadata.path("name").asText();
        boolean service = manifest.path("kind").asText().equals("Service");
        Pattern rule = service ? DNS_1035_LABEL : DNS_1123_SUBDOMAIN;
        int max = service ? 63 : 253;
        if (name.isEmpty() || name.length() > max || !rule.matcher(name).matches()) {
            problems.add(where + "invalid name (" + (service ? "DNS-1035 label" : "DNS-1123 subdomain") + ")");
        }
        checkStringMap(metadata.path("labels"), where + "label ", true, problems);
        checkStringMap(metadata.path("annotations"), where + "annotation ", false, problems);
        JsonNode template = manifest.at("/spec/template/metadata");
        checkStringMap(template.path("labels"), where + "pod label ", true, problems);
        checkStringMap(template.path("annotations"), where + "pod annotation ", false, problems);
    }

    private static void checkStringMap(JsonNode map, String what, boolean labels, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                problems.add(what + field.getKey() + " is " + field.getValue().getNodeType() + ", must be a string");
            } else if (labels && (field.getValue().asText().length() > 63
                    || !LABEL_VALUE.matcher(field.getValue().asText()).matches())) {
                problems.add(what + field.getKey() + "=" + field.getValue().asText() + " is not a valid label value");
            }
        }
    }

    private static void checkServiceMonitor(JsonNode monitor, String where, List<String> problems) {
        JsonNode spec = monitor.path("spec");
        if (!spec.path("selector").isObject()) {
            problems.add(where + "spec.selector is required");
        }
        if (!spec.path("endpoints").isArray() || spec.path("endpoints").isEmpty()) {
            problems.add(where + "spec.endpoints must list at least one endpoint");
        }
        for (JsonNode endpoint : Rendered.elements(spec.path("endpoints"))) {
            endpoint.fieldNames().forEachRemaining(field -> {
                if (!List.of("port", "path", "interval", "scrapeTimeout", "scheme", "honorLabels").contains(field)) {
                    problems.add(where + "unexpected endpoint field " + field);
                }
            });
            if (!endpoint.path("port").isTextual()) {
                problems.add(where + "endpoint needs a named port");
            }
        }
    }

    private static List<JsonNode> podContainers(JsonNode manifest) {
        List<JsonNode> containers = new ArrayList<>();
        containers.addAll(Rendered.elements(manifest.at("/spec/template/spec/containers")));
        containers.addAll(Rendered.elements(manifest.at("/spec/template/spec/initContainers")));
        return containers;
    }
}
