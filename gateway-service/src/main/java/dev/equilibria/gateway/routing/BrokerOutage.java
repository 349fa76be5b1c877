package dev.equilibria.gateway.routing;

import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.service.kafka.BrokerWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the gateway does while Kafka is away and when it returns. Heartbeat liveness freezes (service-support's
 * fleet membership), the load ledger runs on this replica's own share once peers expire, and the KV index is marked
 * stale: routing decisions are learned on top of the last mirrored state. When the broker answers again the index is
 * fresh again and every worker is asked for a snapshot, since events may have been lost beyond the producers'
 * delivery timeout; ledger deltas resume with the next keepalive.
 */
@Component
public class BrokerOutage {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutage.class);

    public BrokerOutage(BrokerWatch broker, KvIndex index, KvIndexMaintenance maintenance) {
        if (!(index instanceof KvEventIndex events)) {
            return; // the approximate index never depended on the broker
        }
        broker.onChange(up -> {
            if (up) {
                events.markFresh();
                events.resyncAll();
                maintenance.requestSnapshots();
                log.info("KV events flow again; asked every worker for a snapshot");
            } else {
                events.markStale();
                log.warn("no KV events while the broker is away; routing on the last mirrored state plus this"
                        + " gateway's own decisions");
            }
        });
    }
}
