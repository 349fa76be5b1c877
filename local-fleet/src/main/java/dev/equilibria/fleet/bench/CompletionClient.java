package dev.equilibria.fleet.bench;

import dev.equilibria.fleet.RunningFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Sends streamed OpenAI completions ({@code POST /v1/completions}, {@code stream: true},
 * {@code stream_options.include_usage}) with token-id prompts, and feeds each response's lines to a
 * {@link StreamRecorder} as they arrive, without a thread per request. HTTP/1.1, one connection per concurrent
 * request, as load generators do.
 */
public final class CompletionClient {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI endpoint;
    private final String model;
    private final Optional<String> apiKey;
    private final Duration requestTimeout;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;

    /**
     * @param clock nanoseconds since the run's start
     * @param timer fires request timeouts
     */
    public CompletionClient(HttpClient http, String gatewayUrl, String model, Optional<String> apiKey,
                            Duration requestTimeout, ScheduledExecutorService timer, LongSupplier clock) {
        this.http = http;
        this.endpoint = URI.create(gatewayUrl + "/v1/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.timer = timer;
        this.clock = clock;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The request body: the prompt as token ids, streamed, with the usage chunk. */
    public static String body(String model, BenchRequest request) {
        int[] prompt = request.promptTokens();
        StringBuilder json = new StringBuilder(64 + prompt.length * 7);
        json.append("{\"model\":").append(RunningFleet.jsonString(model)).append(",\"prompt\":[");
        for (int i = 0; i < prompt.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(prompt[i]);
        }
        json.append("],\"max_tokens\":").append(request.maxTokens())
                .append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        return json.toString();
    }

    /**
     * Sends one request; the future completes (never exceptionally) with its result once the stream ends, fails or
     * times out.
     *
     * @param scheduledNanos when it was due (open loop) or sent (closed loop)
     */
    public CompletableFuture<RequestResult> send(BenchRequest request, long scheduledNanos) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(model, request), StandardCharsets.UTF_8));
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        long start = clock.getAsLong();
        StreamRecorder recorder = new StreamRecorder(request, scheduledNanos, start);
        CompletableFuture<RequestResult> result = new CompletableFuture<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        HttpResponse.BodyHandler<Void> handler = info -> {
            synchronized (recorder) {
                recorder.onResponse(info.statusCode(), info.headers().firstValue("Retry-After"));
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    long now = clock.getAsLong();
                    synchronized (recorder) {
                        recorder.onLine(line, now);
                    }
                }

                @Override
                public void onError(Throwable error) {
                    // reported through sendAsync's future
                }

                @Override
                public void onComplete() {
                    // reported through sendAsync's future
                }
            }, s -> null, StandardCharsets.UTF_8, null);
        };

        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(builder.build(), handler);
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            RequestResult timedOut;
            synchronized (recorder) {
                timedOut = recorder.onTimeout(clock.getAsLong());
            }
            if (result.complete(timedOut)) {
                Flow.Subscription s = subscription.get();
                if (s != null) {
                    s.cancel(); // closes the connection, so the server sees the client go
                }
                exchange.cancel(true);
            }
        }, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        exchange.whenComplete((response, failure) -> {
            long now = clock.getAsLong();
            RequestResult finished;
            synchronized (recorder) {
                finished = failure == null ? recorder.onComplete(now) : recorder.onFailure(failure, now);
            }
            timeout.cancel(false);
            result.complete(finished);
        });
        return result;
    }
}
