package dev.equilibria.allocator;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.service.kafka.EventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Workers, heartbeats and load reports for tests, and a publisher that records instead of sending. */
public final class TestFleet {

    public static final String MODEL = "llama-3.1-70b";
    public static final WorkerCapacity CAPACITY = new WorkerCapacity(256, 8192, 53539, 64, 131072);

    private TestFleet() {
    }

    public static WorkerHeartbeat heartbeat(String id, WorkerRole role, boolean draining, long nowMs) {
        return new WorkerHeartbeat(id, role, "http://127.0.0.1:1", MODEL, CAPACITY, draining, nowMs);
    }

    public static LiveWorker live(String id, WorkerRole role) {
        return live(id, role, false);
    }

    public static LiveWorker live(String id, WorkerRole role, boolean draining) {
        Instant now = Instant.now();
        return new LiveWorker(heartbeat(id, role, draining, now.toEpochMilli()), now, now);
    }

    /** A load report: {@code running} and {@code waiting} requests, KV blocks in use, queued prefill tokens. */
    public static WorkerLoad load(String id, WorkerRole role, int running, int waiting, int kvBlocks, long prefill) {
        return new WorkerLoad(id, role, System.currentTimeMillis(), running, waiting, kvBlocks, 53539, prefill, 0);
    }

    /** Records every published event. */
    public static final class RecordingPublisher extends EventPublisher {

        public record Sent(String topic, String key, Object event) {
        }

        private final List<Sent> sent = new ArrayList<>();

        public RecordingPublisher() {
            super(null, new SimpleMeterRegistry());
        }

        @Override
        public synchronized void publish(String topic, String key, Object event) {
            sent.add(new Sent(topic, key, event));
        }

        public synchronized List<Sent> sent() {
            return List.copyOf(sent);
        }

        public synchronized <T> List<T> sent(String topic, Class<T> type) {
            return sent.stream().filter(s -> s.topic().equals(topic)).map(Sent::event).map(type::cast).toList();
        }

        public synchronized void clear() {
            sent.clear();
        }
    }
}
