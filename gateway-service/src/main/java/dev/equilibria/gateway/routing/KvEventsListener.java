package dev.equilibria.gateway.routing;

import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.routing.index.KvApplyResult;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the workers' KV events into the index. Every replica reads with its own consumer group, since each keeps its
 * own mirror. In approximate mode the events are not read at all.
 */
@Component
public class KvEventsListener {

    private static final Logger log = LoggerFactory.getLogger(KvEventsListener.class);

    private final KvIndex index;
    private final KvIndexMaintenance maintenance;
    private final RoutingMetrics metrics;

    public KvEventsListener(KvIndex index, KvIndexMaintenance maintenance, RoutingMetrics metrics) {
        this.index = index;
        this.maintenance = maintenance;
        this.metrics = metrics;
    }

    @KafkaListener(topics = Topics.KV_EVENTS,
            autoStartup = "#{'${equilibria.gateway.kv-index.mode:events}' != 'approximate'}",
            groupId = "${spring.application.name}-kv-#{T(java.util.UUID).randomUUID()}")
    public void onEvent(String json) {
        if (!(index instanceof KvEventIndex events)) {
            return;
        }
        KvEvent event;
        try {
            event = EventCodec.decode(json, KvEvent.class);
        } catch (EventFormatException e) {
            metrics.kvEvent("rejected");
            log.warn("ignoring unreadable KV event: {}", e.getMessage());
            return;
        }
        KvApplyResult result = events.apply(event);
        metrics.kvEvent(result.name().toLowerCase(java.util.Locale.ROOT));
        if (result == KvApplyResult.OUT_OF_SYNC) {
            maintenance.requestSnapshots();
        }
    }
}
