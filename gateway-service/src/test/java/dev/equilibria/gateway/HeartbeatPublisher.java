package dev.equilibria.gateway;

import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes the fake workers' heartbeats onto the real broker, keyed by worker id, until told to stop. */
final class HeartbeatPublisher implements AutoCloseable {

    static final long PERIOD_MILLIS = 200;

    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Supplier<WorkerHeartbeat>> beating = new ConcurrentHashMap<>();

    HeartbeatPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
        timer.scheduleAtFixedRate(this::beat, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void start(String workerId, Supplier<WorkerHeartbeat> heartbeat) {
        beating.put(workerId, heartbeat);
    }

    void stop(String workerId) {
        beating.remove(workerId);
    }

    /** Sends a record that is no heartbeat at all. */
    void sendGarbage() {
        producer.send(new ProducerRecord<>(Topics.HEARTBEATS, "garbage", "{not json"));
    }

    Set<String> beating() {
        return beating.keySet();
    }

    private void beat() {
        beating.forEach((id, heartbeat) ->
                producer.send(new ProducerRecord<>(Topics.HEARTBEATS, id, EventCodec.encode(heartbeat.get()))));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close();
    }
}
