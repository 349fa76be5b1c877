package dev.equilibria.gateway.metrics;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records how one completion request ended. Only the first ending counts, so a stream that fails and is then
 * cancelled is one failed request.
 */
public final class RequestTracker {

    private final GatewayMetrics metrics;
    private final Timer.Sample sample;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile int promptTokens;

    RequestTracker(GatewayMetrics metrics, Timer.Sample sample) {
        this.metrics = metrics;
        this.sample = sample;
    }

    /** Set once the prompt is tokenized; counted when the request ends, whatever the outcome. */
    public void promptTokens(int tokens) {
        this.promptTokens = tokens;
    }

    public void succeeded(int completionTokens) {
        end(RequestOutcome.SUCCESS, completionTokens);
    }

    public void failed(Throwable error) {
        end(RequestOutcome.of(error), 0);
    }

    public void cancelled() {
        end(RequestOutcome.CANCELLED, 0);
    }

    private void end(RequestOutcome outcome, int completionTokens) {
        if (ended.compareAndSet(false, true)) {
            metrics.ended(outcome, sample, promptTokens, completionTokens);
        }
    }
}
