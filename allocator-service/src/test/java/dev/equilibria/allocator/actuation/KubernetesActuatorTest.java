package dev.equilibria.allocator.actuation;

import static dev.equilibria.allocator.TestFleet.live;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.WorkerRole;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against fabric8's mock API server in CRUD mode: the Deployments really change, through the real client and the JDK
 * HTTP transport the service ships with (plain HTTP: TLS handshakes only slow the test down).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesActuatorTest {

    private static final String NS = "llm";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private KubernetesActuator actuator;

    @BeforeEach
    void deployments() {
        client.apps().deployments().inNamespace(NS).resource(deployment("equilibria-prefill", 1)).create();
        client.apps().deployments().inNamespace(NS).resource(deployment("equilibria-decode", 3)).create();
        actuator = new KubernetesActuator(client, new AllocatorProperties.Kubernetes(NS, null, null, null),
                Duration.ofSeconds(60), registry);
    }

    @Test
    void scalesTheShrinkingDeploymentDownAndTheGrowingOneUp() {
        Actuator.Actuation a = actuator.apply(new Split(1, 3), new Split(2, 2), fleet(1, 3), T0);

        assertThat(a.started()).as(a.description()).isTrue();
        assertThat(replicas("equilibria-prefill")).isEqualTo(2);
        assertThat(replicas("equilibria-decode")).isEqualTo(2);
        assertThat(a.description()).contains("equilibria-decode 3 -> 2", "equilibria-prefill 1 -> 2");
        assertThat(a.description().indexOf("decode")).isLessThan(a.description().indexOf("prefill"));
    }

    @Test
    void theStepIsPendingUntilTheHeartbeatsShowTheNewSplitOrTheTimeoutPasses() {
        actuator.apply(new Split(1, 3), new Split(2, 2), fleet(1, 3), T0);

        assertThat(actuator.pending(fleet(1, 3), T0.plusSeconds(10))).isPresent();
        assertThat(actuator.apply(new Split(1, 3), new Split(2, 2), fleet(1, 3), T0.plusSeconds(10)).started())
                .isFalse();
        assertThat(actuator.pending(fleet(2, 2), T0.plusSeconds(20))).isEmpty();

        actuator.apply(new Split(2, 2), new Split(3, 1), fleet(2, 2), T0.plusSeconds(30));
        assertThat(actuator.pending(fleet(2, 2), T0.plusSeconds(91))).isEmpty();
        assertThat(registry.get("equilibria.allocator.actuation.timeouts").tag("actuator", "kubernetes").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void podsHostingSeveralWorkersAreScaledInWholePods() {
        KubernetesActuator twoPerPod = new KubernetesActuator(client,
                new AllocatorProperties.Kubernetes(NS, null, null, 2), Duration.ofSeconds(60), registry);

        assertThat(twoPerPod.replicas(3)).isEqualTo(2);
        assertThat(twoPerPod.apply(new Split(2, 6), new Split(4, 4), fleet(2, 6), T0).started()).isTrue();
        assertThat(replicas("equilibria-prefill")).isEqualTo(2);
        assertThat(replicas("equilibria-decode")).isEqualTo(2);
    }

    @Test
    void aMissingDeploymentIsRefusedWithItsName() {
        client.apps().deployments().inNamespace(NS).withName("equilibria-prefill").delete();

        Actuator.Actuation a = actuator.apply(new Split(1, 3), new Split(2, 2), fleet(1, 3), T0);

        assertThat(a.started()).isFalse();
        assertThat(a.description()).contains("deployment llm/equilibria-prefill not found");
        assertThat(actuator.pending(fleet(1, 3), T0)).isEmpty();
    }

    private int replicas(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get().getSpec().getReplicas();
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName("worker").withImage("equilibria/worker:test").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private static FleetState fleet(int prefill, int decode) {
        List<dev.equilibria.routing.registry.LiveWorker> live = new ArrayList<>();
        for (int i = 0; i < prefill; i++) {
            live.add(live("p" + i, WorkerRole.PREFILL));
        }
        for (int i = 0; i < decode; i++) {
            live.add(live("d" + i, WorkerRole.DECODE));
        }
        return new FleetState(live, List.of());
    }
}
