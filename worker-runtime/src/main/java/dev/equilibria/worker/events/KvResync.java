package dev.equilibria.worker.events;

import dev.equilibria.service.kafka.BrokerWatch;
import dev.equilibria.worker.host.WorkerHost;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Re-sends a worker's KV snapshot once the broker is back after some of its KV events could not be published
 * (broker outage longer than the producer's delivery timeout, or a full publishing queue). The gateways would
 * notice the sequence gap and ask for one; sending it unasked repairs their mirrors without waiting for the next
 * event or their retry interval.
 */
public class KvResync {

    private static final Logger log = LoggerFactory.getLogger(KvResync.class);

    private final WorkerHost host;
    private final BrokerWatch broker;
    private final Set<String> owed = ConcurrentHashMap.newKeySet();

    public KvResync(WorkerHost host, BrokerWatch broker) {
        this.host = host;
        this.broker = broker;
        host.onKvEventLost(owed::add);
        broker.onChange(up -> {
            if (up) {
                resendOwed();
            }
        });
    }

    /** Workers whose readers missed an event since their last snapshot. */
    public Set<String> owed() {
        return Set.copyOf(owed);
    }

    /** Sends the owed snapshots if the broker answers; also runs on a timer for losses without an outage. */
    @Scheduled(fixedDelayString = "${equilibria.worker.kv-resync-interval:1s}")
    public void resendOwed() {
        if (owed.isEmpty() || !broker.reachable()) {
            return;
        }
        for (String workerId : Set.copyOf(owed)) {
            owed.remove(workerId);
            host.find(workerId).ifPresent(worker -> {
                log.info("worker {} re-sends its KV snapshot: some of its KV events could not be published",
                        workerId);
                worker.publishSnapshot();
            });
        }
    }
}
