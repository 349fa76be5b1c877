package dev.equilibria.worker.host;

import dev.equilibria.protocol.worker.KvHandoff;
import dev.equilibria.protocol.worker.WorkerPaths;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Once a decode worker holds a request's KV, tells the prefill worker to unpin its copy (the blocks stay in its
 * prefix cache) and records the transfer time. A lost release only delays the unpinning until the hold expires.
 */
public class HandoffReleaser implements HandoffObserver {

    /** How long one release call may take before it is abandoned to the hold timeout. */
    public static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(HandoffReleaser.class);

    private final WebClient http;
    private final WorkerMetrics metrics;

    public HandoffReleaser(WebClient.Builder http, WorkerMetrics metrics) {
        this.http = http.build();
        this.metrics = metrics;
    }

    @Override
    public void kvReceived(HostedWorker receiver, String requestId, KvHandoff handoff, long transferNanos) {
        metrics.handoff(receiver.id(), transferNanos);
        if (handoff == null || handoff.sourceEndpoint() == null) {
            return;
        }
        http.delete().uri(handoff.sourceEndpoint() + WorkerPaths.handoff(handoff.sourceWorker(), requestId))
                .retrieve().toBodilessEntity().timeout(RELEASE_TIMEOUT)
                .subscribe(ok -> { }, error -> log.warn("could not release handoff {} on {}: {}", requestId,
                        handoff.sourceWorker(), error.getMessage()));
    }
}
