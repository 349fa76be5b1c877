package dev.equilibria.gateway.metrics;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.RequestRecord;
import dev.equilibria.gateway.routing.BackgroundPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The gateway's request meters (latency histograms, tokens, legs, admission); their names are listed in the module
 * README. Worker counts come from service-support's fleet membership ({@code equilibria.fleet.workers}). Each
 * request's end is also published as a {@link RequestRecord} for the monitor and the allocator.
 */
@Component
public class GatewayMetrics {

    public static final String REQUESTS = "equilibria.gateway.requests";
    public static final String REQUEST_DURATION = "equilibria.gateway.request.duration";
    public static final String TTFT = "equilibria.gateway.ttft";
    public static final String ITL = "equilibria.gateway.itl";
    public static final String PROMPT_TOKENS = "equilibria.gateway.prompt.tokens";
    public static final String CACHED_PROMPT_TOKENS = "equilibria.gateway.prompt.cached.tokens";
    public static final String COMPLETION_TOKENS = "equilibria.gateway.completion.tokens";
    public static final String LEGS = "equilibria.gateway.legs";
    public static final String RETRIES = "equilibria.gateway.leg.retries";
    public static final String FULL_REFUSALS = "equilibria.gateway.leg.full.refusals";
    public static final String MIGRATIONS = "equilibria.gateway.migrations";
    public static final String QUEUE_DEPTH = "equilibria.gateway.admission.queue.depth";
    public static final String QUEUED = "equilibria.gateway.admission.queued";
    public static final String QUEUE_WAIT = "equilibria.gateway.admission.wait";
    public static final String REJECTIONS = "equilibria.gateway.admission.rejections";
    public static final String IN_FLIGHT = "equilibria.gateway.requests.in.flight";
    public static final String EDGE_REJECTIONS = "equilibria.gateway.edge.rejections";
    public static final String API_KEY_REQUESTS = "equilibria.gateway.api.key.requests";
    /** The {@code reason} tags of {@link #EDGE_REJECTIONS}. */
    public static final java.util.List<String> EDGE_REJECTION_REASONS = java.util.List.of("body_too_large",
            "body_read_timeout", "concurrency_limit", "missing_api_key", "invalid_api_key", "rate_limited");

    private final MeterRegistry registry;
    private final BackgroundPublisher publisher;
    private final InstantSource clock;
    private final String gatewayId;
    private final Map<RequestOutcome, Counter> requests = new EnumMap<>(RequestOutcome.class);
    private final Map<RequestOutcome, Timer> durations = new EnumMap<>(RequestOutcome.class);
    private final Timer ttft;
    private final Timer itl;
    private final Timer queueWait;
    private final Counter promptTokens;
    private final Counter cachedPromptTokens;
    private final Counter completionTokens;
    private final Counter queued;
    /** Meters looked up per request are cached: building a meter id per call costs more than the request's routing. */
    private final java.util.concurrent.ConcurrentMap<String, Counter> legCounters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, BackgroundPublisher publisher, InstantSource clock,
                          GatewayProperties properties) {
        this.registry = registry;
        this.publisher = publisher;
        this.clock = clock;
        this.gatewayId = properties.id();
        // registered up front so every outcome shows as a zero series before it first happens
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requests.put(outcome, Counter.builder(REQUESTS).tag("outcome", outcome.tag())
                    .description("Completion requests, by how they ended").register(registry));
            durations.put(outcome, Timer.builder(REQUEST_DURATION).tag("outcome", outcome.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                    .description("End-to-end latency: request received to last byte, by how the request ended")
                    .register(registry));
        }
        this.ttft = Timer.builder(TTFT).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .description("Time to first token: request received until its first token was ready to send")
                .register(registry);
        this.itl = Timer.builder(ITL).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .description("Inter-token latency: time between consecutive tokens of a request at the gateway")
                .register(registry);
        this.queueWait = Timer.builder(QUEUE_WAIT).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .description("Time requests waited in the admission queue before admission").register(registry);
        this.promptTokens = Counter.builder(PROMPT_TOKENS).description("Prompt tokens of accepted requests")
                .register(registry);
        this.cachedPromptTokens = Counter.builder(CACHED_PROMPT_TOKENS)
                .description("Prompt tokens the prefilling worker found in its prefix cache").register(registry);
        this.completionTokens = Counter.builder(COMPLETION_TOKENS).description("Tokens generated")
                .register(registry);
        this.queued = Counter.builder(QUEUED).description("Requests that had to wait in the admission queue")
                .register(registry);
        for (String reason : EDGE_REJECTION_REASONS) {
            Counter.builder(EDGE_REJECTIONS).tag("reason", reason)
                    .description("API requests refused at the edge (size, time, concurrency, key, rate), by reason")
                    .register(registry);
        }
        for (String outcome : new String[] {"migrated", "exhausted"}) {
            Counter.builder(MIGRATIONS).tag("outcome", outcome)
                    .description("Streams whose worker died mid-generation, by what the gateway did")
                    .register(registry);
        }
        for (String reason : new String[] {"queue_full", "queue_timeout"}) {
            Counter.builder(REJECTIONS).tag("reason", reason).description("Requests shed by admission, by reason")
                    .register(registry);
        }
    }

    /** Starts tracking one completion request. */
    public RequestTracker startRequest() {
        return new RequestTracker(this, Timer.start(registry), System.nanoTime(), clock.millis());
    }

    /** A leg sent to a worker (retries included); tagged by worker so the spread across a pool shows. */
    public void legPlaced(WorkerRole leg, String workerId) {
        legCounters.computeIfAbsent(leg.wireName() + '/' + workerId, key -> Counter.builder(LEGS)
                .tag("leg", leg.wireName()).tag("worker", workerId)
                .description("Request legs placed, by leg and worker").register(registry)).increment();
    }

    /** A leg moved to another worker after its worker refused it or died before any of its output was sent. */
    public void legRetried(WorkerRole leg) {
        Counter.builder(RETRIES).tag("leg", leg.wireName())
                .description("Legs moved to another worker after a refusal or a worker death, by leg")
                .register(registry).increment();
    }

    /** A leg refused by a worker with no free batch slot ({@code refuse_when_full}) and placed on another. */
    public void legRefusedFull(WorkerRole leg) {
        Counter.builder(FULL_REFUSALS).tag("leg", leg.wireName())
                .description("Legs refused by a full worker and placed on another (refuse_when_full), by leg")
                .register(registry).increment();
    }

    /**
     * A stream whose worker died: {@code migrated} (continued elsewhere) or {@code exhausted} (past
     * {@code failover.max-migrations}, ended with an error event).
     */
    public void migration(String outcome) {
        Counter.builder(MIGRATIONS).tag("outcome", outcome)
                .description("Streams whose worker died mid-generation, by what the gateway did").register(registry)
                .increment();
    }

    public void queueDepth(Supplier<Number> depth) {
        io.micrometer.core.instrument.Gauge.builder(QUEUE_DEPTH, depth).description("Requests waiting for admission")
                .register(registry);
    }

    public void queued() {
        queued.increment();
    }

    public void admittedAfter(Duration waited) {
        queueWait.record(waited);
    }

    /** A request shed by admission: {@code queue_full} (429) or {@code queue_timeout}. */
    public void rejected(String reason) {
        Counter.builder(REJECTIONS).tag("reason", reason).register(registry).increment();
    }

    /** API requests being handled now (reading, waiting, streaming). */
    public void inFlight(Supplier<Number> count) {
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, count)
                .description("API requests being handled now, from headers read to last byte").register(registry);
    }

    /** A request refused before it reached the completion pipeline; {@code reason} is one of the listed ones. */
    public void edgeRejected(String reason) {
        Counter.builder(EDGE_REJECTIONS).tag("reason", reason).register(registry).increment();
    }

    /** A request made with an API key: {@code result} accepted or rate_limited; the key's name, never the key. */
    public void apiKeyRequest(String keyName, String result) {
        Counter.builder(API_KEY_REQUESTS).tag("key", keyName).tag("result", result)
                .description("API requests per configured key, by whether its rate limit let them through")
                .register(registry).increment();
    }

    void firstToken(long nanos) {
        ttft.record(nanos, TimeUnit.NANOSECONDS);
    }

    void interToken(long nanos) {
        itl.record(nanos, TimeUnit.NANOSECONDS);
    }

    void ended(RequestTracker t, RequestOutcome outcome, String outcomeCode, int completion) {
        requests.get(outcome).increment();
        long e2eNanos = t.sample().stop(durations.get(outcome));
        promptTokens.increment(t.promptTokens());
        cachedPromptTokens.increment(Math.max(0, t.cachedTokens()));
        completionTokens.increment(completion);
        if (t.requestId() != null) {
            publisher.publish(Topics.REQUEST_RECORDS, t.requestId(), new RequestRecord(t.requestId(), gatewayId,
                    t.arrivalMs(), outcomeCode, t.prefillWorker(), t.decodeWorker(), t.promptTokens(),
                    Math.max(0, t.cachedTokens()), completion, t.ttftMillis(), t.meanItlMillis(), e2eNanos / 1e6));
        }
    }
}
