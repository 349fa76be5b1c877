package dev.equilibria.deployment;

import static dev.equilibria.deployment.Rendered.container;
import static dev.equilibria.deployment.Rendered.containers;
import static dev.equilibria.deployment.Rendered.elements;
import static dev.equilibria.deployment.Rendered.env;
import static dev.equilibria.deployment.Rendered.podSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart, linted and rendered offline by the embedded Helm library: valid Kubernetes manifests for the
 * defaults, each topology preset and the optional features; every service deployed, exposed and probed; GPUs on
 * the workers; RBAC confined to the namespace; the admin token only ever in a Secret; Kafka external or in-chart.
 */
class HelmChartTest {

    private static final String GPU = "nvidia.com/gpu";

    @TempDir
    Path work;

    @AfterEach
    void forgetLiveObjects() {
        FakeKubernetesApi.get().clear();
    }

    /** Values the chart is rendered with: the defaults, the presets, and every optional feature switched on. */
    static Stream<Arguments> variants() {
        Map<String, Object> everything = new LinkedHashMap<>();
        everything.put("kafka.bootstrapServers", "kafka-0.kafka.data:9092,kafka-1.kafka.data:9092");
        everything.put("adminToken.existingSecret", "equilibria-admin");
        everything.put("serviceMonitor.enabled", true);
        everything.put("serviceMonitor.labels", Map.of("release", "kube-prometheus-stack"));
        everything.put("allocator.kubernetesActuator.enabled", true);
        everything.put("image.registry", "ghcr.io/acme");
        everything.put("imagePullSecrets", List.of(Map.of("name", "ghcr")));
        everything.put("gateway.service.type", "LoadBalancer");
        everything.put("gateway.service.port", 80);
        everything.put("config.env", Map.of("EQUILIBRIA_GATEWAY_ROUTING_POLICY", "round_robin"));
        everything.put("extraEnv", List.of(Map.of("name", "TZ", "value", "UTC")));
        everything.put("kafka.persistence.enabled", false);
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("gpu.enabled", false);
        trial.put("engine.profile", "llama-3.1-8b-bf16-tp1-h100");
        trial.put("engine.timeScale", 4.0);
        trial.put("kafka.persistence.enabled", false);
        trial.put("adminToken.create", false);
        trial.put("grafanaDashboard.enabled", false);
        return Stream.of(
                Arguments.of("defaults", null, Map.of()),
                Arguments.of("1P/2D preset", "values-1p2d.yaml", Map.of()),
                Arguments.of("1P/5D preset", "values-1p5d.yaml", Map.of()),
                Arguments.of("1P/5D, external Kafka, every option on", "values-1p5d.yaml", everything),
                Arguments.of("CPU-only trial", null, trial));
    }

    @ParameterizedTest(name = "lint --strict with {0}")
    @NullSource
    @ValueSource(strings = {"values-1p2d.yaml", "values-1p5d.yaml"})
    void lintsStrictly(String preset) {
        LintResult result = HelmChart.lint(preset, work);

        assertThat(result.isFailed()).as("helm lint --strict %s:%n%s", preset == null ? "" : "-f " + preset,
                String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void rendersValidKubernetesManifests(String variant, String preset, Map<String, Object> values) {
        Rendered rendered = HelmChart.render(preset, values, work);

        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode manifest : rendered.manifests()) {
            problems.addAll(KubernetesSchemas.problems(manifest));
            String id = manifest.path("kind").asText() + "/" + Rendered.name(manifest);
            if (!seen.add(id)) {
                problems.add("duplicate " + id);
            }
            if (!HelmChart.NAMESPACE.equals(manifest.at("/metadata/namespace").asText())) {
                problems.add(id + " is not in the release namespace");
            }
        }
        assertThat(problems).as("schema problems of %s", rendered.kindsAndNames()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void deploysExposesAndProbesEveryService(String variant, String preset, Map<String, Object> values) {
        Rendered rendered = HelmChart.render(preset, values, work);

        for (FleetService service : FleetService.ALL) {
            JsonNode deployment = rendered.deployment(service.component());
            JsonNode container = container(deployment);
            JsonNode port = container.path("ports").get(0);
            assertThat(port.path("name").asText()).isEqualTo("http");
            assertThat(port.path("containerPort").asInt()).as(service.name() + " port").isEqualTo(service.port());
            assertThat(env(container, "SERVER_PORT").path("value").asText()).isEqualTo(String.valueOf(service.port()));
            assertThat(container.path("image").asText()).contains("equilibria/" + service.name() + ":");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
            assertThat(env(container, "JAVA_OPTS").path("value").asText()).isNotBlank();
            assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo(HelmChart.FULLNAME + "-config");

            JsonNode svc = rendered.one("Service", HelmChart.FULLNAME + "-" + service.component());
            assertThat(svc.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
            assertThat(svc.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
            deployment.at("/spec/selector/matchLabels").fields().forEachRemaining(label -> assertThat(
                    deployment.at("/spec/template/metadata/labels").path(label.getKey())).isEqualTo(label.getValue()));
        }
        // every container of every workload, the in-chart broker included, is probed
        for (JsonNode workload : rendered.workloads()) {
            for (JsonNode container : containers(workload)) {
                assertThat(container.path("livenessProbe").isObject())
                        .as("liveness probe of %s", Rendered.name(workload)).isTrue();
                assertThat(container.path("readinessProbe").isObject())
                        .as("readiness probe of %s", Rendered.name(workload)).isTrue();
                assertThat(container.at("/resources/requests").isObject())
                        .as("resource requests of %s", Rendered.name(workload)).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void podsRunUnprivilegedWithoutServiceLinks(String variant, String preset, Map<String, Object> values) {
        Rendered rendered = HelmChart.render(preset, values, work);

        for (JsonNode workload : rendered.workloads()) {
            JsonNode pod = podSpec(workload);
            String name = Rendered.name(workload);
            assertThat(pod.path("enableServiceLinks").asBoolean(true)).as(name).isFalse();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(container(workload).at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                    .as(name).isFalse();
        }
        for (FleetService service : FleetService.ALL) {
            JsonNode deployment = rendered.deployment(service.component());
            assertThat(container(deployment).at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container(deployment).at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            assertThat(deployment.at("/spec/template/metadata/annotations/checksum~1config").asText()).hasSize(64);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"values.yaml", "values-1p2d.yaml", "values-1p5d.yaml"})
    void workersRequestTheirGpusAndRunTheTopology(String valuesFile) {
        Rendered rendered = HelmChart.render(valuesFile.equals("values.yaml") ? null : valuesFile, Map.of(), work);
        JsonNode values = Values.merge(Yamls.load(HelmChart.chartDir().resolve("values.yaml")),
                Yamls.load(HelmChart.chartDir().resolve(valuesFile)));
        int perWorker = values.at("/gpu/perWorker").asInt();

        for (String pool : List.of("prefill", "decode")) {
            JsonNode deployment = rendered.deployment(pool);
            JsonNode container = container(deployment);
            int workersPerPod = values.at("/" + pool + "/workersPerPod").asInt();
            assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(values.at("/" + pool + "/replicas").asInt());
            assertThat(container.at("/resources/limits").path(GPU).asInt()).as(pool + " GPU limit")
                    .isEqualTo(perWorker * workersPerPod).isPositive();
            assertThat(container.at("/resources/requests").path(GPU).asInt()).as(pool + " GPU request")
                    .isEqualTo(perWorker * workersPerPod);
            assertThat(env(container, "EQUILIBRIA_WORKER_COUNT").path("value").asText())
                    .isEqualTo(String.valueOf(workersPerPod));
            // worker ids and the address the gateway calls must be the pod's own
            assertThat(env(container, "POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
            assertThat(env(container, "POD_IP").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");
            assertThat(env(container, "EQUILIBRIA_WORKER_ID_PREFIX").path("value").asText()).isEqualTo("$(POD_NAME)");
            assertThat(env(container, "EQUILIBRIA_WORKER_ADVERTISEDHOST").path("value").asText()).isEqualTo("$(POD_IP)");
            assertThat(elements(podSpec(deployment).path("tolerations")))
                    .anySatisfy(t -> assertThat(t.path("key").asText()).isEqualTo(GPU));
            assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt(-1)).as("no surge pod").isZero();
            assertThat(podSpec(deployment).path("affinity"))
                    .isEqualTo(values.at("/" + pool + "/affinity").isEmpty() ? Yamls.JSON.missingNode()
                            : values.at("/" + pool + "/affinity"));
        }
        for (String other : List.of("gateway", "allocator", "monitor")) {
            assertThat(container(rendered.deployment(other)).at("/resources/limits").has(GPU)).as(other).isFalse();
        }
        JsonNode config = rendered.one("ConfigMap", HelmChart.FULLNAME + "-config").path("data");
        assertThat(config.path("EQUILIBRIA_WORKER_BACKEND").asText()).isEqualTo("simulated");
        assertThat(config.path("EQUILIBRIA_WORKER_PROFILE").asText()).isEqualTo(values.at("/engine/profile").asText());
        assertThat(config.path("EQUILIBRIA_WORKER_TIME_SCALE").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "Kubernetes {0}")
    @ValueSource(strings = {"1.25.0", "1.32.0"})
    void rendersForEverySupportedKubernetes(String kubeVersion) {
        Rendered rendered = HelmChart.render(kubeVersion, null, Map.of(), work);

        assertThat(rendered.ofKind("Deployment")).hasSize(FleetService.ALL.size());
        assertThatThrownBy(() -> HelmChart.render("1.24.0", null, Map.of(), work))
                .hasMessageContaining("kubeVersion");
    }

    @Test
    void presetsAreThePapersTopologies() {
        assertThat(HelmChart.render("values-1p2d.yaml", Map.of(), work).deployment("decode").at("/spec/replicas").asInt())
                .isEqualTo(2);
        Rendered large = HelmChart.render("values-1p5d.yaml", Map.of(), work);
        assertThat(large.deployment("prefill").at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(large.deployment("decode").at("/spec/replicas").asInt()).isEqualTo(5);
    }

    @Test
    void gpusCanBeLeftOutForCpuOnlyTrials() {
        Rendered rendered = HelmChart.render(null, Map.of("gpu.enabled", false), work);

        for (String pool : List.of("prefill", "decode")) {
            assertThat(container(rendered.deployment(pool)).at("/resources/limits").has(GPU)).isFalse();
        }
    }

    @Test
    void gpusPerWorkerMustMatchTheProfilesTensorParallelism() {
        assertThatThrownBy(() -> HelmChart.render(null,
                Map.of("engine.profile", "nemotron-4-340b-fp8-tp8-b200", "gpu.perWorker", 4), work))
                .hasMessageContaining("gpu.perWorker=8");
        assertThatThrownBy(() -> HelmChart.render(null, Map.of("engine.profile", "8b-h200"), work))
                .hasMessageContaining("gpu.perWorker=1");

        Rendered nemotron = HelmChart.render(null,
                Map.of("engine.profile", "nemotron-4-340b-fp8-tp8-b200", "gpu.perWorker", 8, "decode.workersPerPod", 2),
                work);
        assertThat(container(nemotron.deployment("decode")).at("/resources/limits").path(GPU).asInt()).isEqualTo(16);
    }

    @Test
    void theMonitorAndAllocatorFollowTheEngineAndFindTheFleet() {
        Rendered rendered = HelmChart.render(null, Map.of("engine.profile", "nemotron-4-340b-fp8-tp8-b200",
                "gpu.perWorker", 8, "engine.timeScale", 2.5), work);

        JsonNode monitor = container(rendered.deployment("monitor"));
        assertThat(env(monitor, "EQUILIBRIA_MONITOR_PROFILE").path("value").asText()).isEqualTo("nemotron-4-340b-fp8-tp8-b200");
        assertThat(env(monitor, "EQUILIBRIA_MONITOR_TIMESCALE").path("value").asText()).isEqualTo("2.5");
        String svc = "." + HelmChart.NAMESPACE + ".svc";
        assertThat(env(monitor, "EQUILIBRIA_MONITOR_SCRAPETARGETS").path("value").asText().split(",")).containsExactly(
                "http://" + HelmChart.FULLNAME + "-gateway" + svc + ":8080/actuator/prometheus",
                "http://" + HelmChart.FULLNAME + "-allocator" + svc + ":" + FleetService.byComponent("allocator").port()
                        + "/actuator/prometheus");
        assertThat(env(monitor, "EQUILIBRIA_MONITOR_SCRAPEDISCOVER").path("value").asText()).isEqualTo("true");
        JsonNode allocator = container(rendered.deployment("allocator"));
        assertThat(env(allocator, "EQUILIBRIA_ALLOCATOR_PROFILE").path("value").asText()).isEqualTo("nemotron-4-340b-fp8-tp8-b200");
        assertThat(env(allocator, "EQUILIBRIA_ALLOCATOR_TIMESCALE").path("value").asText()).isEqualTo("2.5");

        JsonNode viaPrometheus = container(HelmChart.render(null,
                Map.of("monitor.prometheusUrl", "http://prometheus-operated.monitoring.svc:9090"), work).deployment("monitor"));
        assertThat(env(viaPrometheus, "EQUILIBRIA_MONITOR_PROMETHEUSURL").path("value").asText())
                .isEqualTo("http://prometheus-operated.monitoring.svc:9090");
        assertThat(env(viaPrometheus, "EQUILIBRIA_MONITOR_SCRAPETARGETS").isMissingNode()).isTrue();
    }

    @Test
    void theActuatorNeedsOnePodSizeForBothPools() {
        assertThatThrownBy(() -> HelmChart.render(null, Map.of("allocator.kubernetesActuator.enabled", true,
                "decode.workersPerPod", 2), work)).hasMessageContaining("workersPerPod equal");

        Rendered rendered = HelmChart.render(null, Map.of("allocator.kubernetesActuator.enabled", true,
                "decode.workersPerPod", 2, "prefill.workersPerPod", 2), work);
        assertThat(env(container(rendered.deployment("allocator")), "EQUILIBRIA_ALLOCATOR_KUBERNETES_WORKERSPERPOD")
                .path("value").asText()).isEqualTo("2");
    }

    @Test
    void rbacExistsOnlyForTheAllocatorsActuatorAndStaysInTheNamespace() {
        Rendered plain = HelmChart.render(work);
        assertThat(plain.ofKind("Role")).isEmpty();
        assertThat(plain.ofKind("RoleBinding")).isEmpty();
        for (JsonNode workload : plain.workloads()) {
            assertThat(podSpec(workload).path("automountServiceAccountToken").asBoolean(true))
                    .as(Rendered.name(workload)).isFalse();
        }

        Rendered rendered = HelmChart.render(null, Map.of("allocator.kubernetesActuator.enabled", true), work);
        assertThat(rendered.ofKind("ClusterRole")).isEmpty();
        assertThat(rendered.ofKind("ClusterRoleBinding")).isEmpty();
        assertThat(rendered.ofKind("Role")).hasSize(1);
        JsonNode role = rendered.ofKind("Role").get(0);
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
        for (JsonNode rule : elements(role.path("rules"))) {
            assertThat(elements(rule.path("apiGroups"))).extracting(JsonNode::asText).containsOnly("apps");
            assertThat(elements(rule.path("resources"))).extracting(JsonNode::asText)
                    .isSubsetOf("deployments", "deployments/scale");
            assertThat(elements(rule.path("verbs"))).extracting(JsonNode::asText)
                    .isSubsetOf("get", "list", "watch", "patch", "update");
            if (elements(rule.path("verbs")).stream().anyMatch(v -> Set.of("patch", "update").contains(v.asText()))) {
                assertThat(elements(rule.path("resourceNames"))).extracting(JsonNode::asText)
                        .containsExactlyInAnyOrder(HelmChart.FULLNAME + "-prefill", HelmChart.FULLNAME + "-decode");
            }
        }
        assertThat(elements(role.path("rules")).stream().flatMap(r -> elements(r.path("verbs")).stream())
                .map(JsonNode::asText)).contains("get", "list", "watch", "patch", "update");

        JsonNode binding = rendered.ofKind("RoleBinding").get(0);
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(Rendered.name(role));
        String account = HelmChart.FULLNAME + "-allocator";
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(rendered.has("ServiceAccount", account)).isTrue();

        JsonNode allocator = rendered.deployment("allocator");
        assertThat(podSpec(allocator).path("serviceAccountName").asText()).isEqualTo(account);
        assertThat(podSpec(allocator).path("automountServiceAccountToken").asBoolean()).isTrue();
        assertThat(env(container(allocator), "EQUILIBRIA_ALLOCATOR_ACTUATOR").path("value").asText()).isEqualTo("kubernetes");
        assertThat(env(container(allocator), "EQUILIBRIA_ALLOCATOR_KUBERNETES_NAMESPACE")
                .at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
        assertThat(env(container(allocator), "EQUILIBRIA_ALLOCATOR_KUBERNETES_PREFILLDEPLOYMENT").path("value").asText())
                .isEqualTo(Rendered.name(rendered.deployment("prefill")));
        assertThat(env(container(allocator), "EQUILIBRIA_ALLOCATOR_KUBERNETES_DECODEDEPLOYMENT").path("value").asText())
                .isEqualTo(Rendered.name(rendered.deployment("decode")));
        for (String other : List.of("gateway", "prefill", "decode", "monitor")) {
            assertThat(podSpec(rendered.deployment(other)).path("automountServiceAccountToken").asBoolean(true))
                    .as(other).isFalse();
        }
    }

    @Test
    void aCreatedAdminTokenLivesOnlyInItsSecret() {
        Rendered rendered = HelmChart.render(work);

        String secretName = HelmChart.FULLNAME + "-admin-token";
        JsonNode secret = rendered.one("Secret", secretName);
        String encoded = secret.at("/data/token").asText();
        String token = new String(java.util.Base64.getDecoder().decode(encoded));
        assertThat(token).matches("[A-Za-z0-9]{48}");
        assertThat(rendered.text()).doesNotContain(token);
        assertThat(rendered.text().split(java.util.regex.Pattern.quote(encoded), -1)).as("occurrences + 1").hasSize(2);
        assertTokenComesFromSecret(rendered, secretName, "token");

        // each render draws a fresh token (an upgrade reads the live one back instead)
        assertThat(HelmChart.render(work).one("Secret", secretName).at("/data/token").asText()).isNotEqualTo(encoded);
    }

    @Test
    void anUpgradeKeepsTheLiveAdminToken() {
        String kept = java.util.Base64.getEncoder().encodeToString("kept-token-from-the-first-install".getBytes());
        FakeKubernetesApi.get().put(Yamls.parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: %s-admin-token, namespace: %s}
                data: {token: %s}
                """.formatted(HelmChart.FULLNAME, HelmChart.NAMESPACE, kept)));

        Rendered rendered = HelmChart.render(work);

        assertThat(rendered.one("Secret", HelmChart.FULLNAME + "-admin-token").at("/data/token").asText()).isEqualTo(kept);
    }

    @Test
    void anUpgradeKeepsThePoolSizesTheAllocatorChose() {
        FakeKubernetesApi.get().put(Yamls.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s-decode, namespace: %s}
                spec: {replicas: 4}
                """.formatted(HelmChart.FULLNAME, HelmChart.NAMESPACE)));

        Rendered actuated = HelmChart.render(null, Map.of("allocator.kubernetesActuator.enabled", true), work);
        assertThat(actuated.deployment("decode").at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(actuated.deployment("prefill").at("/spec/replicas").asInt()).as("not live yet: from values").isEqualTo(1);
        assertThat(FakeKubernetesApi.get().reads()).as("the chart reads only its own objects").allMatch(path ->
                path.equals("/api/v1/namespaces/" + HelmChart.NAMESPACE + "/secrets/" + HelmChart.FULLNAME + "-admin-token")
                        || path.matches("/apis/apps/v1/namespaces/" + HelmChart.NAMESPACE + "/deployments/"
                        + HelmChart.FULLNAME + "-(prefill|decode)"));

        Rendered manual = HelmChart.render(work);
        assertThat(manual.deployment("decode").at("/spec/replicas").asInt()).as("values rule without the actuator")
                .isEqualTo(2);
    }

    @Test
    void theNotesSayHowToReachTheFleetWithoutPrintingTheToken() {
        String notes = HelmChart.notes(Map.of(), work);

        assertThat(notes).contains("port-forward svc/" + HelmChart.FULLNAME + "-gateway 8080:8080")
                .contains("/v1/completions").contains("1 prefill pod(s) x 1 worker(s), 2 decode pod(s) x 1 worker(s)")
                .contains("4 x nvidia.com/gpu per worker").contains("single-node trial broker")
                .contains("get secret " + HelmChart.FULLNAME + "-admin-token");
        assertThat(HelmChart.notes(Map.of("kafka.bootstrapServers", "kafka.data.svc:9092", "adminToken.create", false),
                work)).contains("Kafka:    kafka.data.svc:9092").contains("closed: no admin token configured");
    }

    @Test
    void anExistingSecretIsReferencedNeverCopied() {
        Rendered rendered = HelmChart.render(null,
                Map.of("adminToken.existingSecret", "team-equilibria-admin", "adminToken.secretKey", "bearer"), work);

        assertThat(rendered.ofKind("Secret")).isEmpty();
        assertTokenComesFromSecret(rendered, "team-equilibria-admin", "bearer");
    }

    @Test
    void withoutATokenTheAdminApiStaysClosed() {
        Rendered rendered = HelmChart.render(null, Map.of("adminToken.create", false), work);

        assertThat(rendered.ofKind("Secret")).isEmpty();
        for (FleetService service : FleetService.ALL) {
            assertThat(env(container(rendered.deployment(service.component())), "EQUILIBRIA_ADMIN_TOKEN").isMissingNode())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("secretInlinings")
    void valuesCannotInlineSecrets(String what, Map<String, Object> values) {
        assertThatThrownBy(() -> HelmChart.render(null, values, work)).hasMessageContaining("values don't meet");
    }

    static Stream<Arguments> secretInlinings() {
        return Stream.of(
                Arguments.of("adminToken.value", Map.of("adminToken.value", "s3cr3t")),
                Arguments.of("adminToken.token", Map.of("adminToken.token", "s3cr3t")),
                Arguments.of("a token in the ConfigMap", Map.of("config.env", Map.of("EQUILIBRIA_ADMIN_TOKEN", "s3cr3t"))),
                Arguments.of("a password in extraEnv",
                        Map.of("extraEnv", List.of(Map.of("name", "DB_PASSWORD", "value", "s3cr3t")))),
                Arguments.of("a token in a service's extraEnv",
                        Map.of("gateway.extraEnv", List.of(Map.of("name", "EQUILIBRIA_ADMIN_TOKEN", "value", "s3cr3t")))));
    }

    @Test
    void secretLookingEnvFromASecretIsFine() {
        Rendered rendered = HelmChart.render(null, Map.of("extraEnv", List.of(Map.of("name", "HF_TOKEN",
                "valueFrom", Map.of("secretKeyRef", Map.of("name", "hf", "key", "token"))))), work);

        assertThat(env(container(rendered.deployment("decode")), "HF_TOKEN").at("/valueFrom/secretKeyRef/name").asText())
                .isEqualTo("hf");
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("badValues")
    void theSchemaRefusesMistakes(String what, Map<String, Object> values) {
        assertThatThrownBy(() -> HelmChart.render(null, values, work)).hasMessageContaining("values don't meet");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("a misspelt key", Map.of("decode.replica", 3)),
                Arguments.of("an unknown top-level key", Map.of("kafkaBootstrap", "kafka:9092")),
                Arguments.of("an unknown engine backend", Map.of("engine.backend", "cuda")),
                Arguments.of("a second allocator", Map.of("allocator.replicas", 2)),
                Arguments.of("zero workers per pod", Map.of("prefill.workersPerPod", 0)),
                Arguments.of("a negative time scale", Map.of("engine.timeScale", -1)),
                Arguments.of("a bootstrap address without a port", Map.of("kafka.bootstrapServers", "kafka")),
                Arguments.of("a malformed KRaft cluster id", Map.of("kafka.clusterId", "not-an-id")));
    }

    @Test
    void kafkaIsTheReleasesTrialBrokerByDefault() {
        Rendered rendered = HelmChart.render(work);

        String bootstrap = HelmChart.FULLNAME + "-kafka." + HelmChart.NAMESPACE + ".svc:9092";
        assertThat(rendered.one("ConfigMap", HelmChart.FULLNAME + "-config").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText())
                .isEqualTo(bootstrap);
        JsonNode broker = rendered.one("StatefulSet", HelmChart.FULLNAME + "-kafka");
        JsonNode kafka = container(broker);
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        assertThat(env(kafka, "KAFKA_PROCESS_ROLES").path("value").asText()).isEqualTo("broker,controller");
        assertThat(env(kafka, "KAFKA_ADVERTISED_LISTENERS").path("value").asText()).isEqualTo("PLAINTEXT://" + bootstrap);
        assertThat(env(kafka, "CLUSTER_ID").path("value").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(broker.at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText()).isEqualTo("8Gi");
        assertThat(rendered.has("Service", HelmChart.FULLNAME + "-kafka")).isTrue();
        assertThat(rendered.one("Service", HelmChart.FULLNAME + "-kafka-headless").at("/spec/clusterIP").asText())
                .isEqualTo("None");
    }

    @Test
    void anExternalKafkaReplacesTheTrialBroker() {
        Rendered rendered = HelmChart.render(null, Map.of("kafka.bootstrapServers", "kafka.data.svc:9092"), work);

        assertThat(rendered.ofKind("StatefulSet")).isEmpty();
        assertThat(rendered.kindsAndNames()).noneMatch(n -> n.contains("-kafka"));
        assertThat(rendered.one("ConfigMap", HelmChart.FULLNAME + "-config").at("/data/KAFKA_BOOTSTRAP_SERVERS").asText())
                .isEqualTo("kafka.data.svc:9092");
    }

    @Test
    void noKafkaAtAllIsAClearError() {
        assertThatThrownBy(() -> HelmChart.render(null, Map.of("kafka.enabled", false), work))
                .hasMessageContaining("set kafka.bootstrapServers");
    }

    @Test
    void theServiceMonitorScrapesEveryServiceWhenAsked() {
        assertThat(HelmChart.render(work).ofKind("ServiceMonitor")).isEmpty();

        Rendered rendered = HelmChart.render(null,
                Map.of("serviceMonitor.enabled", true, "serviceMonitor.labels", Map.of("release", "prom")), work);
        JsonNode monitor = rendered.one("ServiceMonitor", HelmChart.FULLNAME);
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prom");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
        JsonNode selector = monitor.at("/spec/selector/matchLabels");
        List<String> selected = rendered.ofKind("Service").stream()
                .filter(s -> { boolean all = true;
                    for (var it = selector.fields(); it.hasNext(); ) {
                        var label = it.next();
                        all &= label.getValue().equals(s.at("/metadata/labels").path(label.getKey()));
                    }
                    return all; })
                .map(Rendered::name).toList();
        assertThat(selected).containsExactlyInAnyOrderElementsOf(
                FleetService.ALL.stream().map(s -> HelmChart.FULLNAME + "-" + s.component()).toList());
    }

    @Test
    void theDashboardShipsAsAConfigMapForGrafanasSidecar() throws Exception {
        Rendered rendered = HelmChart.render(work);

        JsonNode configMap = rendered.one("ConfigMap", HelmChart.FULLNAME + "-dashboard");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(Yamls.JSON.readTree(configMap.at("/data/equilibria.json").asText()))
                .isEqualTo(Yamls.JSON.readTree(Repo.read(Repo.DASHBOARD)));
        assertThat(HelmChart.render(null, Map.of("grafanaDashboard.enabled", false), work)
                .has("ConfigMap", HelmChart.FULLNAME + "-dashboard")).isFalse();
    }

    @Test
    void imagesMatchWhatComposeBuilds() {
        String tag = Yamls.load(HelmChart.chartDir().resolve("Chart.yaml")).path("appVersion").asText();
        Rendered rendered = HelmChart.render(work);
        JsonNode compose = ComposeFile.interpolated(Map.of());

        for (FleetService service : FleetService.ALL) {
            String image = container(rendered.deployment(service.component())).path("image").asText();
            assertThat(image).isEqualTo("equilibria/" + service.name() + ":" + tag);
            assertThat(compose.at("/services/" + service.name() + "/image").asText()).isEqualTo(image);
        }
        Rendered custom = HelmChart.render(null, Map.of("image.registry", "ghcr.io/acme", "image.tag", "1.2.3",
                "decode.image.tag", "1.2.4"), work);
        assertThat(container(custom.deployment("gateway")).path("image").asText())
                .isEqualTo("ghcr.io/acme/equilibria/gateway-service:1.2.3");
        assertThat(container(custom.deployment("decode")).path("image").asText())
                .isEqualTo("ghcr.io/acme/equilibria/decode-service:1.2.4");
    }

    private static void assertTokenComesFromSecret(Rendered rendered, String secret, String key) {
        for (FleetService service : FleetService.ALL) {
            JsonNode token = env(container(rendered.deployment(service.component())), "EQUILIBRIA_ADMIN_TOKEN");
            assertThat(token.has("value")).as(service.name() + " inlines the token").isFalse();
            assertThat(token.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(secret);
            assertThat(token.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(key);
        }
        for (JsonNode configMap : rendered.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(name -> assertThat(name)
                    .as("ConfigMap %s", Rendered.name(configMap)).doesNotContainIgnoringCase("token")
                    .doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("secret"));
        }
        for (JsonNode workload : rendered.workloads()) {
            for (JsonNode container : containers(workload)) {
                for (JsonNode env : elements(container.path("env"))) {
                    if (env.path("name").asText().matches(".*(TOKEN|PASSWORD|SECRET).*")) {
                        assertThat(env.has("value")).as("%s inlines %s", Rendered.name(workload),
                                env.path("name").asText()).isFalse();
                    }
                }
            }
        }
    }
}
