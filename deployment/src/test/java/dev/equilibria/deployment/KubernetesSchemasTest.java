package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The manifest validator itself: it must catch the mistakes a chart makes, not only pass good manifests. */
class KubernetesSchemasTest {

    private static final String GOOD = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: eq-gateway, namespace: ns, labels: {app: gateway}}
            spec:
              selector: {matchLabels: {app: gateway}}
              template:
                metadata: {labels: {app: gateway}}
                spec:
                  containers:
                    - name: gateway
                      image: equilibria/gateway-service:1
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /actuator/health/readiness, port: http}}
            """;

    static Stream<Arguments> manifests() {
        return Stream.of(
                Arguments.of("a valid Deployment", GOOD, null),
                Arguments.of("a misspelt field", GOOD.replace("readinessProbe", "readinesProbe"), "readinesProbe"),
                Arguments.of("a missing required field", GOOD.replace("- name: gateway\n", "- \n"), "name"),
                Arguments.of("a list where an object belongs",
                        GOOD.replace("{matchLabels: {app: gateway}}", "[app]"), "Not a JSON Object"),
                Arguments.of("the wrong API group", GOOD.replace("apps/v1", "extensions/v1beta1"), "apiVersion"),
                Arguments.of("a non-string label", GOOD.replace("labels: {app: gateway}}\nspec",
                        "labels: {app: gateway, gpu: true}}\nspec"), "gpu"),
                Arguments.of("an invalid name", GOOD.replace("name: eq-gateway", "name: Eq_Gateway"), "invalid name"),
                Arguments.of("an unknown kind", GOOD.replace("kind: Deployment", "kind: Deploymnet"), "kind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void catches(String what, String yaml, String problem) {
        var problems = KubernetesSchemas.problems(Yamls.parse(yaml));

        if (problem == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).as(what).anySatisfy(p -> assertThat(p).contains(problem));
        }
    }
}
