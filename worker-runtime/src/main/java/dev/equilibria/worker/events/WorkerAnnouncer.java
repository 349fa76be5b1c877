package dev.equilibria.worker.events;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.service.kafka.EventPublisher;
import dev.equilibria.worker.host.HostedWorker;
import dev.equilibria.worker.host.WorkerHost;
import java.time.InstantSource;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Publishes every hosted worker's heartbeat and load report on Kafka. Heartbeats start only once the web server
 * listens, so the endpoint they announce is reachable (and carries the real port when it was chosen at random).
 */
public class WorkerAnnouncer {

    private final WorkerHost host;
    private final EventPublisher publisher;
    private final InstantSource clock;
    private final String advertisedHost;

    public WorkerAnnouncer(WorkerHost host, EventPublisher publisher, InstantSource clock, String advertisedHost) {
        this.host = host;
        this.publisher = publisher;
        this.clock = clock;
        this.advertisedHost = advertisedHost;
        // a new role must reach the gateways at once, not at the next beat
        host.onRoleChanged(worker -> announce());
    }

    @EventListener
    public void onWebServerStarted(WebServerInitializedEvent event) {
        host.advertise("http://" + advertisedHost + ":" + event.getWebServer().getPort());
        announce();
    }

    @Scheduled(fixedRateString = "${equilibria.worker.heartbeat-interval:1s}")
    public void announce() {
        String endpoint = host.endpoint();
        if (endpoint == null) {
            return;
        }
        long now = clock.millis();
        for (HostedWorker worker : host.workers()) {
            publisher.publish(Topics.HEARTBEATS, worker.id(), new WorkerHeartbeat(worker.id(), worker.role(),
                    endpoint, host.model(), host.capacity(), worker.draining(), now));
        }
    }

    @Scheduled(fixedRateString = "${equilibria.worker.load-report-interval:1s}")
    public void reportLoad() {
        long now = clock.millis();
        for (HostedWorker worker : host.workers()) {
            publisher.publish(Topics.WORKER_LOAD, worker.id(), worker.load(now));
        }
    }
}
