package dev.equilibria.gateway.metrics;

import dev.equilibria.protocol.WorkerRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The gateway's own Micrometer meters; their names are listed in the module README. Worker counts come from
 * service-support's fleet membership ({@code equilibria.fleet.workers}).
 */
@Component
public class GatewayMetrics {

    public static final String REQUESTS = "equilibria.gateway.requests";
    public static final String REQUEST_DURATION = "equilibria.gateway.request.duration";
    public static final String TTFT = "equilibria.gateway.ttft";
    public static final String PROMPT_TOKENS = "equilibria.gateway.prompt.tokens";
    public static final String COMPLETION_TOKENS = "equilibria.gateway.completion.tokens";
    public static final String LEGS = "equilibria.gateway.legs";
    public static final String RETRIES = "equilibria.gateway.leg.retries";

    private final MeterRegistry registry;
    private final Map<RequestOutcome, Counter> requests = new EnumMap<>(RequestOutcome.class);
    private final Map<RequestOutcome, Timer> durations = new EnumMap<>(RequestOutcome.class);
    private final Timer ttft;
    private final Counter promptTokens;
    private final Counter completionTokens;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front so every outcome shows as a zero series before it first happens
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requests.put(outcome, Counter.builder(REQUESTS).tag("outcome", outcome.tag())
                    .description("Completion requests, by how they ended").register(registry));
            durations.put(outcome, Timer.builder(REQUEST_DURATION).tag("outcome", outcome.tag())
                    .description("Time from request to last byte, by how the request ended").register(registry));
        }
        this.ttft = Timer.builder(TTFT).publishPercentileHistogram()
                .description("Time to first token: request accepted until its prefill returned the first token")
                .register(registry);
        this.promptTokens = Counter.builder(PROMPT_TOKENS).description("Prompt tokens of accepted requests")
                .register(registry);
        this.completionTokens = Counter.builder(COMPLETION_TOKENS).description("Tokens generated")
                .register(registry);
    }

    /** Starts tracking one completion request. */
    public RequestTracker startRequest() {
        return new RequestTracker(this, Timer.start(registry));
    }

    public Timer.Sample startTtft() {
        return Timer.start(registry);
    }

    public void firstToken(Timer.Sample sample) {
        sample.stop(ttft);
    }

    /** A leg sent to a worker (retries included); tagged by worker so the spread across a pool shows. */
    public void legPlaced(WorkerRole leg, String workerId) {
        Counter.builder(LEGS).tag("leg", leg.wireName()).tag("worker", workerId)
                .description("Request legs placed, by leg and worker").register(registry).increment();
    }

    /** A leg moved to another worker after its worker refused it. */
    public void legRetried(WorkerRole leg) {
        Counter.builder(RETRIES).tag("leg", leg.wireName())
                .description("Legs moved to another worker after a refusal, by leg").register(registry).increment();
    }

    void ended(RequestOutcome outcome, Timer.Sample sample, int prompt, int completion) {
        requests.get(outcome).increment();
        sample.stop(durations.get(outcome));
        promptTokens.increment(prompt);
        completionTokens.increment(completion);
    }
}
