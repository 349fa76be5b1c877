package dev.equilibria.worker.host;

import dev.equilibria.engine.scheduler.StepPlan;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import dev.equilibria.engine.Engine;

/**
 * Per-worker engine metrics, tagged {@code worker} and {@code role}. The names are part of the fleet's contract
 * (dashboards and the monitor read them); see worker-runtime/README.md.
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> stepTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> handoffTimers = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Observer of one worker's finished steps, feeding its step-time histogram. */
    public Consumer<StepPlan> stepObserver(String workerId) {
        return plan -> stepTimers.computeIfAbsent(workerId, id -> Timer.builder("equilibria.worker.step.time")
                        .description("Model time of one engine step")
                        .tag("worker", id)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry))
                .record(Duration.ofNanos(plan.durationNanos()));
    }

    /** Records the model time a KV handoff into {@code workerId} took. */
    public void handoff(String workerId, long transferNanos) {
        handoffTimers.computeIfAbsent(workerId, id -> Timer.builder("equilibria.worker.handoff.time")
                        .description("Model time of KV handoffs received from prefill workers")
                        .tag("worker", id)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(5))
                        .register(registry))
                .record(Duration.ofNanos(transferNanos));
    }

    public void register(HostedWorker worker) {
        Tags tags = Tags.of("worker", worker.id());
        gauge("equilibria.worker.requests.running", "Sequences in the running batch", worker, tags,
                e -> e.runningCount());
        gauge("equilibria.worker.requests.waiting", "Sequences queued for admission", worker, tags,
                e -> e.waitingCount());
        gauge("equilibria.worker.kv.usage", "Fraction of KV blocks held by running sequences", worker, tags,
                e -> (double) e.usedBlocks() / e.config().numBlocks());
        gauge("equilibria.worker.kv.cached.blocks", "Blocks registered in the prefix cache", worker, tags,
                e -> e.cachedBlocks());
        gauge("equilibria.worker.prefix.cache.hit.rate", "Cached prompt tokens over all prompt tokens", worker, tags,
                e -> e.stats().prefixCacheHitRate());
        counter("equilibria.worker.prompt.tokens", "Prompt tokens computed (cache hits excluded)", worker, tags,
                e -> e.stats().promptTokensComputed());
        counter("equilibria.worker.generation.tokens", "Tokens generated", worker, tags,
                e -> e.stats().generatedTokens());
        counter("equilibria.worker.preemptions", "Sequences preempted by recompute", worker, tags,
                e -> e.stats().preemptions());
        counter("equilibria.worker.handoff.bytes", "KV bytes received in handoffs", worker, tags,
                e -> e.stats().handoffBytes());
    }

    private void gauge(String name, String description, HostedWorker worker, Tags tags, ToDoubleFunction<Engine> value) {
        Gauge.builder(name, worker, w -> w.read(value::applyAsDouble)).description(description).tags(tags)
                .register(registry);
    }

    private void counter(String name, String description, HostedWorker worker, Tags tags,
                         ToDoubleFunction<Engine> value) {
        FunctionCounter.builder(name, worker, w -> w.read(value::applyAsDouble)).description(description).tags(tags)
                .register(registry);
    }
}
