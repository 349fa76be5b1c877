package dev.equilibria.gateway.routing;

import dev.equilibria.gateway.config.GatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.stereotype.Component;

/**
 * One resilience4j circuit breaker per worker, kept in the registry of Spring Cloud CircuitBreaker's resilience4j
 * factory. The pipeline reports each call's outcome (a worker death or an invalid answer is a failure, a refusal or
 * a client error is neither); when failures reach {@code failure-rate-threshold} percent of the last
 * {@code sliding-window-size} calls (after {@code minimum-number-of-calls}), the breaker opens and routing leaves the
 * worker out for {@code wait-duration-in-open-state}; then it is half-open and takes traffic again, and
 * {@code permitted-calls-in-half-open-state} outcomes close or reopen it. States are exported as
 * {@code equilibria_gateway_worker_circuit_state{worker}} (0 closed, 1 open, 2 half-open) and shown in the admin
 * worker list.
 */
@Component
public class WorkerCircuitBreakers {

    /** Prefix of the breakers' names in the shared registry. */
    public static final String NAME_PREFIX = "worker-";
    public static final String STATE_METRIC = "equilibria.gateway.worker.circuit.state";

    private static final Logger log = LoggerFactory.getLogger(WorkerCircuitBreakers.class);

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;
    private final boolean enabled;
    private final MeterRegistry meters;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public WorkerCircuitBreakers(ReactiveResilience4JCircuitBreakerFactory factory, GatewayProperties properties,
                                 MeterRegistry meters) {
        this.registry = factory.getCircuitBreakerRegistry();
        this.meters = meters;
        GatewayProperties.CircuitBreaker settings = properties.circuitBreaker();
        this.enabled = settings.enabled();
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // a decode stream lasts as long as its output: slowness is not failure here
                .slowCallRateThreshold(100f)
                .slowCallDurationThreshold(java.time.Duration.ofDays(1))
                .build();
    }

    /** Whether routing may send the worker new legs: its breaker is closed or half-open (probing). */
    public boolean admits(String workerId) {
        return !enabled || breaker(workerId).getState() != CircuitBreaker.State.OPEN;
    }

    /** A call to the worker succeeded. */
    public void succeeded(String workerId, long durationNanos) {
        breaker(workerId).onSuccess(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** A call to the worker failed in a way that is the worker's fault. */
    public void failed(String workerId, long durationNanos, Throwable error) {
        breaker(workerId).onError(durationNanos, TimeUnit.NANOSECONDS, error);
    }

    /** {@code closed}, {@code open}, {@code half_open} (or another resilience4j state), lower case. */
    public String state(String workerId) {
        return breaker(workerId).getState().name().toLowerCase(java.util.Locale.ROOT);
    }

    private CircuitBreaker breaker(String workerId) {
        CircuitBreaker breaker = registry.circuitBreaker(NAME_PREFIX + workerId, config);
        if (known.add(workerId)) {
            breaker.getEventPublisher().onStateTransition(event -> log.warn("circuit breaker of worker {}: {}",
                    workerId, event.getStateTransition()));
            Gauge.builder(STATE_METRIC, breaker, b -> switch (b.getState()) {
                        case CLOSED -> 0;
                        case OPEN, FORCED_OPEN -> 1;
                        case HALF_OPEN -> 2;
                        default -> 3;
                    })
                    .tag("worker", workerId)
                    .description("Circuit breaker state per worker: 0 closed, 1 open, 2 half-open, 3 disabled")
                    .register(meters);
        }
        return breaker;
    }
}
