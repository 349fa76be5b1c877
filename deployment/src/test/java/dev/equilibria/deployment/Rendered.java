package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The manifests {@code helm template} rendered, as Jackson trees, with the look-ups the checks need.
 *
 * @param text      the raw output
 * @param manifests every non-empty document
 */
record Rendered(String text, List<JsonNode> manifests) {

    List<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
    }

    boolean has(String kind, String name) {
        return ofKind(kind).stream().anyMatch(m -> name.equals(name(m)));
    }

    JsonNode one(String kind, String name) {
        return ofKind(kind).stream().filter(m -> name.equals(name(m))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + kindsAndNames()));
    }

    /** The Deployment of a chart component ({@code gateway}, {@code prefill}, ...). */
    JsonNode deployment(String component) {
        return one("Deployment", HelmChart.FULLNAME + "-" + component);
    }

    List<String> kindsAndNames() {
        return manifests.stream().map(m -> m.path("kind").asText() + " " + name(m)).toList();
    }

    /** Workloads: every object with a pod template. */
    List<JsonNode> workloads() {
        return manifests.stream().filter(m -> m.at("/spec/template/spec").isObject()).toList();
    }

    static String name(JsonNode manifest) {
        return manifest.at("/metadata/name").asText();
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.at("/spec/template/spec");
    }

    static List<JsonNode> containers(JsonNode workload) {
        return elements(podSpec(workload).path("containers"));
    }

    static JsonNode container(JsonNode workload) {
        List<JsonNode> containers = containers(workload);
        if (containers.size() != 1) {
            throw new AssertionError(name(workload) + " has " + containers.size() + " containers, expected 1");
        }
        return containers.get(0);
    }

    /** The env entry named {@code name} of a container, or a missing node. */
    static JsonNode env(JsonNode container, String name) {
        return elements(container.path("env")).stream().filter(e -> name.equals(e.path("name").asText()))
                .findFirst().orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
