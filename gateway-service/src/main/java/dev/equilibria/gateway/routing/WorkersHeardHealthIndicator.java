package dev.equilibria.gateway.routing;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.util.List;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness ({@code workersHeard}): OUT_OF_SERVICE until the gateway has heard the heartbeat of a worker that can
 * generate (a decode or aggregated worker), UP from then on. A gateway that has heard none lists no model and answers
 * every request with an error, so a load balancer should send it nothing for the second or so after it reached the
 * broker; a restarted replica otherwise answered its first requests 503 (reliability suite, gateway restart). Once
 * heard, losing every worker does not take the replica out: every replica would go at once, and the gateway's own
 * 503 with {@code Retry-After} tells clients more than a load balancer's refusal.
 */
@Component("workersHeard")
public class WorkersHeardHealthIndicator extends AbstractHealthIndicator {

    private final WorkerRegistry registry;
    private volatile boolean heard;

    public WorkersHeardHealthIndicator(WorkerRegistry registry) {
        super("Worker readiness check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<LiveWorker> live = registry.live();
        if (!heard) {
            heard = live.stream().anyMatch(w -> w.canServe(WorkerRole.DECODE));
        }
        if (heard) {
            builder.up().withDetail("live_workers", live.size());
        } else {
            builder.outOfService().withDetail("reason", "no decode or aggregated worker has been heard yet")
                    .withDetail("live_workers", live.size());
        }
    }
}
