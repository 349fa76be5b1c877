package dev.equilibria.worker.host;

import dev.equilibria.engine.Engine;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.sampling.VocabularySampler;
import dev.equilibria.engine.scheduler.StepPlan;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.service.kafka.EventPublisher;
import dev.equilibria.worker.config.WorkerProperties;
import dev.equilibria.engine.kv.KvEventLog;
import dev.equilibria.protocol.Topics;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.context.SmartLifecycle;

/**
 * The workers one service process hosts: builds them from configuration, starts and stops their engines. Stopping
 * (SIGTERM) drains first: every worker turns draining (new legs are refused with 503, so gateways place them
 * elsewhere, and the drain listeners announce it at once), in-flight sequences and pinned handoffs finish, then the
 * engines stop, all within the drain timeout. It stops before the web server's graceful shutdown, which then only
 * has the streams of those finished sequences left to flush.
 */
public class WorkerHost implements SmartLifecycle {

    /** How often a draining host checks whether its engines are idle. */
    private static final long DRAIN_POLL_MILLIS = 20;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WorkerHost.class);

    private final WorkerProperties properties;
    private final EngineConfig engineConfig;
    private final Map<String, HostedWorker> workers = new LinkedHashMap<>();
    private volatile boolean running;

    private final java.util.List<Consumer<HostedWorker>> roleListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile String endpoint;
    private final java.util.List<Runnable> drainListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.time.Duration drainTimeout = java.time.Duration.ZERO;

    public WorkerHost(WorkerProperties properties, EventPublisher publisher, InstantSource clock,
                      Function<String, Consumer<StepPlan>> stepObservers, HandoffObserver handoffs) {
        this.properties = properties;
        this.engineConfig = properties.engineConfig();
        SplittableRandom seeds = new SplittableRandom(properties.seed());
        for (int i = 0; i < properties.count(); i++) {
            String id = properties.workerId(i);
            KvEventLog kvEvents = new KvEventLog(id, event -> publisher.publish(Topics.KV_EVENTS, id, event,
                    error -> kvEventLost(id)), clock);
            Engine engine = new Engine(engineConfig, properties.timingModel(), properties.engineProfile().handoffLink(),
                    VocabularySampler.commonWords(seeds.split()), kvEvents,
                    properties.engine().handoffHoldTimeoutOrDefault());
            workers.put(id, new HostedWorker(id, properties.role(), engine, kvEvents,
                    new ScaledClock(properties.timeScale()), stepObservers.apply(id), this::roleChanged, handoffs, this::endpoint));
        }
    }

    private final java.util.List<Consumer<String>> kvLossListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Called with a worker's id each time one of its KV events could not be published. */
    public void onKvEventLost(Consumer<String> listener) {
        kvLossListeners.add(listener);
    }

    private void kvEventLost(String workerId) {
        kvLossListeners.forEach(l -> l.accept(workerId));
    }

    /** Called (on the engine thread) each time a worker has completed a role switch. */
    public void onRoleChanged(Consumer<HostedWorker> listener) {
        roleListeners.add(listener);
    }

    private void roleChanged(HostedWorker worker) {
        roleListeners.forEach(l -> l.accept(worker));
    }

    /** Base URL under which this process serves its workers' legs; null until the web server listens. */
    public String endpoint() {
        return endpoint;
    }

    public void advertise(String endpoint) {
        this.endpoint = endpoint;
    }

    public Collection<HostedWorker> workers() {
        return workers.values();
    }

    public Optional<HostedWorker> find(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }

    public String model() {
        return properties.model();
    }

    public WorkerCapacity capacity() {
        return new WorkerCapacity(engineConfig.maxNumSeqs(), engineConfig.maxNumBatchedTokens(),
                engineConfig.numBlocks(), engineConfig.blockSize(), engineConfig.maxModelLen());
    }

    @Override
    public void start() {
        workers.values().forEach(HostedWorker::start);
        running = true;
    }

    /** Called when the host starts draining for shutdown, for example to announce it at once. */
    public void onDrain(Runnable listener) {
        drainListeners.add(listener);
    }

    /** Longest wait for in-flight work on shutdown; zero stops at once. */
    public void drainTimeout(java.time.Duration timeout) {
        this.drainTimeout = timeout;
    }

    @Override
    public void stop() {
        drain();
        workers.values().forEach(HostedWorker::stop);
        running = false;
    }

    private void drain() {
        workers.values().forEach(worker -> worker.setDraining(true));
        drainListeners.forEach(Runnable::run);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!workers.values().stream().allMatch(HostedWorker::idle)) {
            if (System.nanoTime() - deadline >= 0) {
                log.warn("shutdown: in-flight work still running after the drain timeout ({}); stopping anyway",
                        drainTimeout);
                return;
            }
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("shutdown: every hosted worker drained");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
