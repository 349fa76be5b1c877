package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart README's values reference covers every value, and the READMEs point at files that exist. */
class DeploymentDocsTest {

    /** Values documented as a whole (Kubernetes objects or free-form maps), not key by key. */
    private static final Set<String> OPAQUE = Set.of("resources", "podSecurityContext", "containerSecurityContext",
            "tolerations", "affinity", "nodeSelector", "labels", "annotations", "strategy", "startup", "liveness",
            "readiness", "commonLabels", "podAnnotations", "env");
    private static final Set<String> SERVICES = Set.of("gateway", "prefill", "decode", "allocator", "monitor");

    @Test
    void everyValueIsInTheChartReadme() {
        String readme = Repo.read(Repo.CHART_README);
        List<String> undocumented = new ArrayList<>();
        for (String key : leaves(Yamls.load(HelmChart.chartDir().resolve("values.yaml")), "")) {
            String first = key.substring(0, key.contains(".") ? key.indexOf('.') : key.length());
            String generic = SERVICES.contains(first) ? "<service>" + key.substring(first.length()) : key;
            if (!readme.contains("`" + key + "`") && !readme.contains("`" + generic + "`")) {
                undocumented.add(key);
            }
        }
        assertThat(undocumented).as("values missing from %s", Repo.CHART_README).isEmpty();
    }

    @Test
    void theReadmesNameFilesThatExist() {
        for (String path : List.of(Repo.COMPOSE_FILE, Repo.DOCKERFILE, Repo.PROMETHEUS_CONFIG, Repo.DASHBOARD,
                Repo.CHART + "/values-1p2d.yaml", Repo.CHART + "/values-1p5d.yaml", Repo.GRAFANA_PROVISIONING)) {
            assertThat(Repo.path(path)).exists();
        }
        for (String preset : HelmChart.PRESETS) {
            assertThat(Repo.read(Repo.CHART_README)).contains(preset);
        }
        assertThat(Repo.read(Repo.DEPLOYMENT_README)).contains(Repo.DOCKERFILE).contains("helm/equilibria/README.md");
    }

    private static List<String> leaves(JsonNode node, String path) {
        List<String> keys = new ArrayList<>();
        String last = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        if (node.isObject() && !node.isEmpty() && !OPAQUE.contains(last)) {
            node.fields().forEachRemaining(f -> keys.addAll(leaves(f.getValue(), path.isEmpty() ? f.getKey()
                    : path + "." + f.getKey())));
        } else {
            keys.add(path);
        }
        return keys;
    }
}
