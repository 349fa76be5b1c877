package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, offline: valid against the Compose Specification's schema (and accepted by
 * {@code docker-compose config} where that binary exists), the 1P/2D fleet with Kafka, Prometheus and Grafana,
 * loopback-only ports, health-gated start order, and the admin token from the environment only.
 */
class ComposeFileTest {

    private static final String TOKEN = "EQUILIBRIA_ADMIN_TOKEN";
    private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|PASSWORD|SECRET|CREDENTIAL).*");
    private static final Map<String, String> ENV = Map.of(TOKEN, "test-token");
    private static final String SCHEMA = "/compose-spec/compose-spec.json";
    private static final String SCHEMA_ID =
            "https://raw.githubusercontent.com/compose-spec/compose-spec/main/schema/compose-spec.json";
    /** A variable with no default, or an empty one: {@code ${X}}, {@code ${X:-}}, {@code ${X:?message}}. */
    private static final String FROM_ENVIRONMENT_ONLY = "\\$\\{[A-Z_][A-Z0-9_]*(:?-|:?\\?[^}]*)?}";

    @Test
    void validatesAgainstTheComposeSpecification() throws Exception {
        JsonNode specification;
        try (InputStream in = getClass().getResourceAsStream(SCHEMA)) {
            specification = Yamls.JSON.readTree(in);
        }
        // the schema names itself with a bare file name; give the validator the absolute id it stands for
        ((ObjectNode) specification).put("$id", SCHEMA_ID);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(specification);

        for (Map<String, String> env : List.of(ENV, Map.<String, String>of())) {
            Set<ValidationMessage> errors = schema.validate(ComposeFile.interpolated(env));
            assertThat(errors).as("compose-spec violations with %s", env).isEmpty();
        }
    }

    @Test
    void theVendoredSchemaIsTheOneItsProvenanceNames() throws Exception {
        byte[] schema;
        try (InputStream in = getClass().getResourceAsStream(SCHEMA)) {
            schema = in.readAllBytes();
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(schema));
        String provenance;
        try (InputStream in = getClass().getResourceAsStream("/compose-spec/PROVENANCE.md")) {
            provenance = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(provenance).contains(hash);
    }

    /** Debian's docker-compose 1.29 validates offline; skipped where it is not installed. */
    @Test
    void dockerComposeAcceptsIt() throws Exception {
        String binary = List.of("/usr/bin/docker-compose", "/usr/local/bin/docker-compose").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(binary != null, "docker-compose is not installed");
        ProcessBuilder builder = new ProcessBuilder(binary, "-f", Repo.path(Repo.COMPOSE_FILE).toString(), "config", "-q")
                .directory(Repo.root().toFile()).redirectErrorStream(true);
        builder.environment().put(TOKEN, "test-token");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker-compose config -q:%n%s", output).isZero();
    }

    @Test
    void runsThePapersOnePrefillTwoDecodeFleetWithKafkaAndObservability() {
        JsonNode services = ComposeFile.interpolated(ENV).path("services");

        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(List.of("kafka", "prometheus", "grafana"));
        FleetService.ALL.forEach(s -> expected.add(s.name()));
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);

        JsonNode prefill = services.path("prefill-service").path("environment");
        JsonNode decode = services.path("decode-service").path("environment");
        assertThat(prefill.path("EQUILIBRIA_WORKER_COUNT").asText()).isEqualTo("1");
        assertThat(decode.path("EQUILIBRIA_WORKER_COUNT").asText()).isEqualTo("2");
        for (String worker : List.of("prefill-service", "decode-service")) {
            JsonNode env = services.path(worker).path("environment");
            assertThat(env.path("EQUILIBRIA_WORKER_ADVERTISEDHOST").asText())
                    .as("the gateway reaches %s by its compose service name", worker).isEqualTo(worker);
            assertThat(env.path("EQUILIBRIA_WORKER_BACKEND").asText()).isEqualTo("simulated");
            assertThat(env.path("EQUILIBRIA_WORKER_PROFILE").asText()).isEqualTo("llama-3.1-70b-fp8-tp4-b200");
            assertThat(env.path("EQUILIBRIA_WORKER_ID_PREFIX").asText()).isEqualTo(worker.replace("-service", ""));
        }
        assertThat(ComposeFile.interpolated(Map.of("EQUILIBRIA_DECODE_WORKERS", "5")).at(
                "/services/decode-service/environment/EQUILIBRIA_WORKER_COUNT").asText()).isEqualTo("5");
    }

    @Test
    void theMonitorScrapesTheServicesOnTheComposeNetworkAndEveryoneModelsTheSameEngine() {
        JsonNode services = ComposeFile.interpolated(Map.of("EQUILIBRIA_WORKER_PROFILE", "8b-h200"));

        List<String> targets = List.of(services.at("/services/monitor-service/environment/EQUILIBRIA_MONITOR_SCRAPETARGETS")
                .asText().split(","));
        assertThat(targets).containsExactlyInAnyOrderElementsOf(FleetService.ALL.stream()
                .filter(s -> !s.component().equals("monitor"))
                .map(s -> "http://" + s.name() + ":" + s.port() + "/actuator/prometheus").toList());
        assertThat(services.at("/services/monitor-service/environment/EQUILIBRIA_MONITOR_PROFILE").asText()).isEqualTo("8b-h200");
        assertThat(services.at("/services/allocator-service/environment/EQUILIBRIA_ALLOCATOR_PROFILE").asText()).isEqualTo("8b-h200");
        assertThat(services.at("/services/decode-service/environment/EQUILIBRIA_WORKER_PROFILE").asText()).isEqualTo("8b-h200");
    }

    @Test
    void kafkaIsTheOfficialImageAsOneKraftNodeTheServicesCanReach() {
        JsonNode compose = ComposeFile.interpolated(ENV);
        JsonNode kafka = compose.at("/services/kafka");

        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_NODE_ID").asText()).isEqualTo("1");
        assertThat(env.path("CLUSTER_ID").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText()).isEqualTo("1@localhost:9093");
        List<String> advertised = List.of(env.path("KAFKA_ADVERTISED_LISTENERS").asText().split(","));
        for (FleetService service : FleetService.ALL) {
            String bootstrap = compose.at("/services/" + service.name() + "/environment/KAFKA_BOOTSTRAP_SERVERS").asText();
            assertThat(advertised).anyMatch(listener -> listener.endsWith("://" + bootstrap));
        }
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
        JsonNode services = ComposeFile.interpolated(ENV).path("services");

        services.fields().forEachRemaining(service -> {
            for (JsonNode port : Rendered.elements(service.getValue().path("ports"))) {
                if (port.isTextual()) {
                    assertThat(port.asText()).as(service.getKey()).startsWith("127.0.0.1:");
                } else {
                    assertThat(port.path("host_ip").asText()).as(service.getKey()).isEqualTo("127.0.0.1");
                }
            }
            assertThat(service.getValue().has("network_mode")).as(service.getKey() + " network_mode").isFalse();
        });
        JsonNode gateway = services.path("gateway-service");
        assertThat(Rendered.elements(gateway.path("ports"))).extracting(JsonNode::asText).containsExactly("127.0.0.1:8080:8080");
        assertThat(ComposeFile.interpolated(Map.of("EQUILIBRIA_GATEWAY_PORT", "18080"))
                .at("/services/gateway-service/ports/0").asText()).isEqualTo("127.0.0.1:18080:8080");
    }

    @Test
    void startsInOrderOfHealth() {
        JsonNode services = ComposeFile.interpolated(ENV).path("services");

        for (FleetService service : FleetService.ALL) {
            assertThat(services.at("/" + service.name() + "/depends_on/kafka/condition").asText())
                    .as(service.name() + " waits for a healthy Kafka").isEqualTo("service_healthy");
        }
        assertThat(services.at("/grafana/depends_on/prometheus/condition").asText()).isEqualTo("service_healthy");
        services.fields().forEachRemaining(service -> {
            JsonNode dependsOn = service.getValue().path("depends_on");
            assertThat(dependsOn.isArray()).as(service.getKey() + " uses depends_on without conditions").isFalse();
            dependsOn.fields().forEachRemaining(dependency -> {
                assertThat(dependency.getValue().path("condition").asText())
                        .as(service.getKey() + " -> " + dependency.getKey()).isEqualTo("service_healthy");
                assertThat(services.at("/" + dependency.getKey() + "/healthcheck/test").isMissingNode())
                        .as(dependency.getKey() + " has a healthcheck to wait for").isFalse();
            });
        });
    }

    @Test
    void everyContainerHasAHealthcheckAndEveryServiceChecksItsReadinessOnItsOwnPort() {
        JsonNode services = ComposeFile.interpolated(ENV).path("services");

        services.fields().forEachRemaining(service -> assertThat(service.getValue().at("/healthcheck/test").isArray())
                .as(service.getKey() + " healthcheck").isTrue());
        for (FleetService service : FleetService.ALL) {
            JsonNode definition = services.path(service.name());
            String test = String.join(" ", Rendered.elements(definition.at("/healthcheck/test")).stream()
                    .map(JsonNode::asText).toList());
            assertThat(test).contains("http://127.0.0.1:" + service.port() + "/actuator/health/readiness");
            assertThat(definition.at("/environment/SERVER_PORT").asText()).isEqualTo(String.valueOf(service.port()));
        }
    }

    @Test
    void buildsEveryServiceFromTheOneDockerfile() {
        JsonNode services = ComposeFile.interpolated(ENV).path("services");

        for (FleetService service : FleetService.ALL) {
            JsonNode build = services.path(service.name()).path("build");
            assertThat(build.path("context").asText()).isEqualTo(".");
            assertThat(build.path("dockerfile").asText()).isEqualTo(Repo.DOCKERFILE);
            assertThat(build.at("/args/SERVICE").asText()).isEqualTo(service.name());
            assertThat(build.at("/args/SERVER_PORT").asText()).isEqualTo(String.valueOf(service.port()));
            assertThat(build.at("/args/JAR_FROM").asText()).isEqualTo("source");
            assertThat(services.path(service.name()).at("/environment/JAVA_OPTS").asText()).contains("-Xmx");
        }
        assertThat(ComposeFile.interpolated(Map.of("EQUILIBRIA_JAR_FROM", "host"))
                .at("/services/gateway-service/build/args/JAR_FROM").asText()).isEqualTo("host");
    }

    @Test
    void theAdminTokenComesFromTheEnvironmentAndNoSecretIsWrittenDown() {
        JsonNode raw = ComposeFile.raw().path("services");

        for (FleetService service : FleetService.ALL) {
            assertThat(raw.at("/" + service.name() + "/environment/" + TOKEN).asText()).as(service.name())
                    .matches(FROM_ENVIRONMENT_ONLY);
            assertThat(ComposeFile.interpolated(Map.of(TOKEN, "from-env"))
                    .at("/services/" + service.name() + "/environment/" + TOKEN).asText()).isEqualTo("from-env");
        }
        raw.fields().forEachRemaining(service -> service.getValue().path("environment").fields().forEachRemaining(env -> {
            if (SECRET_NAME.matcher(env.getKey()).matches()) {
                assertThat(env.getValue().asText()).as("%s %s", service.getKey(), env.getKey())
                        .matches(FROM_ENVIRONMENT_ONLY);
            }
        }));
    }

    @Test
    void everyKnobIsDocumented() {
        String readme = Repo.read(Repo.DEPLOYMENT_README);
        java.util.regex.Matcher variables = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)").matcher(Repo.read(Repo.COMPOSE_FILE));
        while (variables.find()) {
            assertThat(readme).as("deployment/README.md documents " + variables.group(1)).contains(variables.group(1));
        }
    }
}
