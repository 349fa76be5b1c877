package dev.equilibria.allocator.actuation;

import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.Split;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the pools by scaling the prefill and decode Deployments through the Kubernetes API (fabric8 client):
 * {@code replicas = ceil(workers / workers-per-pod)}. The shrinking Deployment is scaled first, so the pods it
 * gives up free their GPUs for the growing one. Which pod goes is Kubernetes' choice; each worker drains in-flight
 * work on SIGTERM (graceful shutdown) before it exits. The step counts as done when the heartbeats show the new
 * split, and is given up (logged as an error) after {@code actuation-timeout}.
 *
 * <p>RBAC: a Role in the workers' namespace with {@code get, list, watch, patch, update} on {@code deployments} and
 * {@code deployments/scale} in the {@code apps} API group, bound to the allocator's service account (see the
 * module README).
 */
public final class KubernetesActuator implements Actuator {

    public static final String NAME = "kubernetes";

    private static final Logger log = LoggerFactory.getLogger(KubernetesActuator.class);

    private record Scaling(Split target, Instant issuedAt) {
    }

    private final KubernetesClient client;
    private final AllocatorProperties.Kubernetes config;
    private final Duration timeout;
    private final Counter timeouts;
    private final Counter failures;
    private Scaling pending;

    public KubernetesActuator(KubernetesClient client, AllocatorProperties.Kubernetes config, Duration timeout,
                              MeterRegistry registry) {
        this.client = client;
        this.config = config;
        this.timeout = timeout;
        this.timeouts = Counter.builder("equilibria.allocator.actuation.timeouts")
                .description("Actuations that did not show in the heartbeats within actuation-timeout")
                .tag("actuator", NAME).register(registry);
        this.failures = Counter.builder("equilibria.allocator.kubernetes.failures")
                .description("Scale requests the Kubernetes API refused or failed").register(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Pods needed for {@code workers} workers. */
    public int replicas(int workers) {
        return (workers + config.workersPerPod() - 1) / config.workersPerPod();
    }

    public String deployment(Pool pool) {
        return pool == Pool.PREFILL ? config.prefillDeployment() : config.decodeDeployment();
    }

    @Override
    public synchronized Actuation apply(Split current, Split next, FleetState fleet, Instant now) {
        if (pending != null) {
            return Actuation.refused("scaling to " + pending.target() + " is still under way");
        }
        List<Pool> order = new ArrayList<>();
        for (Pool pool : Pool.values()) {
            if (next.workers(pool) < current.workers(pool)) {
                order.add(0, pool); // shrink first: its pods free the GPUs the other pool's new pods need
            } else if (next.workers(pool) > current.workers(pool)) {
                order.add(pool);
            }
        }
        if (order.isEmpty()) {
            return Actuation.refused("nothing to move");
        }
        List<String> done = new ArrayList<>();
        for (Pool pool : order) {
            String name = deployment(pool);
            int replicas = replicas(next.workers(pool));
            try {
                Deployment deployment = client.apps().deployments().inNamespace(config.namespace()).withName(name)
                        .get();
                if (deployment == null) {
                    failures.increment();
                    return refused("deployment " + config.namespace() + "/" + name + " not found", done);
                }
                Integer before = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
                if (before == null || before != replicas) {
                    client.apps().deployments().inNamespace(config.namespace()).withName(name).scale(replicas);
                    log.info("scaled deployment {}/{} from {} to {} replicas ({} pool: {} -> {} workers)",
                            config.namespace(), name, before, replicas, pool.name().toLowerCase(Locale.ROOT),
                            current.workers(pool), next.workers(pool));
                }
                done.add(name + " " + before + " -> " + replicas);
            } catch (KubernetesClientException e) {
                failures.increment();
                log.error("could not scale deployment {}/{} to {} replicas: {} (HTTP {}). Check the allocator's "
                                + "RBAC: it needs get and patch on deployments and deployments/scale.",
                        config.namespace(), name, replicas, e.getMessage(), e.getCode());
                return refused("Kubernetes API refused scaling " + name + " (HTTP " + e.getCode() + ")", done);
            }
        }
        pending = new Scaling(next, now);
        return Actuation.started("scaled " + String.join(", ", done) + " replicas");
    }

    private static Actuation refused(String why, List<String> done) {
        return Actuation.refused(done.isEmpty() ? why : why + " after scaling " + String.join(", ", done));
    }

    @Override
    public synchronized Optional<String> pending(FleetState fleet, Instant now) {
        if (pending == null) {
            return Optional.empty();
        }
        Split seen = fleet.split();
        Duration waited = Duration.between(pending.issuedAt(), now);
        if (covers(seen, pending.target())) {
            log.info("the fleet now runs {} as scaled ({} ms after the scale request)", seen, waited.toMillis());
            pending = null;
            return Optional.empty();
        }
        if (waited.compareTo(timeout) > 0) {
            timeouts.increment();
            log.error("the fleet shows {} workers {} s after scaling to {}; giving up on this step. Check the pods "
                    + "of {} and {} (pending for lack of GPUs? crash-looping?).", seen, timeout.toSeconds(),
                    pending.target(), config.prefillDeployment(), config.decodeDeployment());
            pending = null;
            return Optional.empty();
        }
        return Optional.of("scaling to " + pending.target() + " for " + waited.toSeconds() + " s (heartbeats show "
                + seen + ")");
    }

    /** With several workers per pod, the heartbeats show whole pods' worth; the target is met when each pool matches it. */
    private boolean covers(Split seen, Split target) {
        for (Pool pool : Pool.values()) {
            if (replicas(seen.workers(pool)) != replicas(target.workers(pool))) {
                return false;
            }
        }
        return true;
    }
}
