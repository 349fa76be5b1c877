package dev.equilibria.gateway.admission;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.routing.FleetCapacity;
import dev.equilibria.routing.admission.AdmissionController;
import dev.equilibria.routing.admission.AdmissionController.Ticket;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The reactive face of {@link AdmissionController}: a request passes at once while some worker of its model is
 * under its threshold, else waits in the bounded queue without holding a thread; a full queue answers 429 with
 * Retry-After, a wait past the deadline an explicit {@code queue_timeout} error, and a client that goes away leaves
 * the queue. The queue is polled on every request's end and every few milliseconds (peers' load changes too).
 */
@Component
public class AdmissionGate {

    private static final Runnable NOTHING = () -> {
    };

    private final AdmissionController controller;
    private final GatewayMetrics metrics;
    private final InstantSource clock;
    private final boolean enabled;
    private final Duration wait;
    private final long retryAfterSeconds;

    public AdmissionGate(FleetCapacity probe, GatewayMetrics metrics, InstantSource clock,
                         GatewayProperties properties) {
        GatewayProperties.Admission settings = properties.admission();
        this.controller = new AdmissionController(settings.queueCapacity(), clock, probe);
        this.metrics = metrics;
        this.clock = clock;
        this.enabled = settings.enabled();
        this.wait = settings.queueTimeout().compareTo(properties.requestTimeout()) < 0 ? settings.queueTimeout()
                : properties.requestTimeout();
        this.retryAfterSeconds = Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
        metrics.queueDepth(controller::depth);
    }

    /**
     * Completes with the callback to run once the request's first leg is in the ledger, when it is admitted; fails
     * with 429 (queue full) or {@code queue_timeout}.
     */
    public Mono<Runnable> admit(String model) {
        if (!enabled) {
            return Mono.just(NOTHING);
        }
        return Mono.create(sink -> {
            Ticket ticket = controller.request(model, clock.instant().plus(wait), new Waiter(sink));
            switch (ticket.state()) {
                case ADMITTED -> sink.success(ticket::dispatched);
                case REJECTED -> {
                    metrics.rejected("queue_full");
                    sink.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS, ApiException.RATE_LIMIT,
                            null, ErrorCodes.QUEUE_FULL, "every worker serving '" + model + "' is over its load"
                            + " threshold and the admission queue (" + controller.capacity() + ") is full;"
                            + " retry after " + retryAfterSeconds + " s", retryAfterSeconds));
                }
                case WAITING -> {
                    metrics.queued();
                    sink.onCancel(ticket::cancel);
                }
                default -> sink.error(new IllegalStateException("unexpected admission state " + ticket.state()));
            }
        });
    }

    public void poll() {
        if (enabled) {
            controller.poll();
        }
    }

    @Scheduled(fixedDelayString = "${equilibria.gateway.admission.poll-interval:20ms}")
    public void pollPeriodically() {
        poll();
    }

    public int depth() {
        return controller.depth();
    }

    /** Completes a queued request's sink when its wait ends. */
    private final class Waiter implements AdmissionController.Listener {
        private final MonoSink<Runnable> sink;

        Waiter(MonoSink<Runnable> sink) {
            this.sink = sink;
        }

        @Override
        public void admitted(Ticket ticket) {
            metrics.admittedAfter(ticket.waited());
            sink.success(ticket::dispatched);
        }

        @Override
        public void expired(Ticket ticket) {
            metrics.rejected("queue_timeout");
            sink.error(new ApiException(HttpStatus.GATEWAY_TIMEOUT, ApiException.SERVER_ERROR, null,
                    ErrorCodes.QUEUE_TIMEOUT, "the request waited " + ticket.waited().toMillis() + " ms in the"
                    + " admission queue, every worker being over its load threshold, and its deadline passed",
                    retryAfterSeconds));
        }
    }
}
