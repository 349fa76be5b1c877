package dev.equilibria.gateway.metrics;

import dev.equilibria.gateway.error.ApiErrors;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows one completion request: its tokens as they leave for the client (TTFT, inter-token latency), where it
 * ran, and how it ended. Only the first ending counts, so a stream that fails and is then cancelled is one failed
 * request.
 */
public final class RequestTracker {

    private final GatewayMetrics metrics;
    private final Timer.Sample sample;
    private final long startNanos;
    private final long arrivalMs;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String requestId;
    private volatile int promptTokens;
    private volatile int cachedTokens = -1;
    private volatile String prefillWorker;
    private volatile String decodeWorker;
    private volatile long firstTokenNanos = -1;
    private volatile long lastTokenNanos;
    private volatile int tokens;

    RequestTracker(GatewayMetrics metrics, Timer.Sample sample, long startNanos, long arrivalMs) {
        this.metrics = metrics;
        this.sample = sample;
        this.startNanos = startNanos;
        this.arrivalMs = arrivalMs;
    }

    public void requestId(String id) {
        this.requestId = id;
    }

    /** Set once the prompt is tokenized; counted when the request ends, whatever the outcome. */
    public void promptTokens(int tokens) {
        this.promptTokens = tokens;
    }

    /** Prompt tokens the prefilling worker found cached, from its answer. */
    public void cachedTokens(int tokens) {
        this.cachedTokens = tokens;
    }

    public void workers(String prefill, String decode) {
        if (prefill != null) {
            this.prefillWorker = prefill;
        }
        if (decode != null) {
            this.decodeWorker = decode;
        }
    }

    /** A generated token is ready to go to the client. */
    public synchronized void token() {
        long now = System.nanoTime();
        if (firstTokenNanos < 0) {
            firstTokenNanos = now;
            metrics.firstToken(now - startNanos);
        } else {
            metrics.interToken(now - lastTokenNanos);
        }
        lastTokenNanos = now;
        tokens++;
    }

    public void succeeded(int completionTokens) {
        end(RequestOutcome.SUCCESS, "success", completionTokens);
    }

    public void failed(Throwable error) {
        end(RequestOutcome.of(error), ApiErrors.from(error).code(), tokens);
    }

    public void cancelled() {
        end(RequestOutcome.CANCELLED, "cancelled", tokens);
    }

    private void end(RequestOutcome outcome, String code, int completionTokens) {
        if (ended.compareAndSet(false, true)) {
            metrics.ended(this, outcome, code == null ? outcome.tag() : code, completionTokens);
        }
    }

    Timer.Sample sample() {
        return sample;
    }

    String requestId() {
        return requestId;
    }

    int promptTokens() {
        return promptTokens;
    }

    int cachedTokens() {
        return cachedTokens;
    }

    String prefillWorker() {
        return prefillWorker;
    }

    String decodeWorker() {
        return decodeWorker;
    }

    long arrivalMs() {
        return arrivalMs;
    }

    double ttftMillis() {
        return firstTokenNanos < 0 ? Double.NaN : (firstTokenNanos - startNanos) / 1e6;
    }

    double meanItlMillis() {
        return tokens < 2 ? Double.NaN : (lastTokenNanos - firstTokenNanos) / 1e6 / (tokens - 1);
    }
}
