package dev.equilibria.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop clients against a running fleet's gateway: each sends its next streamed completion (a prompt of unique
 * random token ids, so no prefix-cache hits) when the last one ended, after {@code think}. Records each finished
 * request's TTFT, counts token chunks and failures.
 */
final class ClosedLoopLoad {

    /** One finished request: when it was sent and its time to first token. */
    record Sample(long startNanos, double ttftMs) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String name;
    private final String gateway;
    private final String model;
    private final int clients;
    private final int promptTokens;
    private final int maxTokens;
    private final Duration think;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger tokens = new AtomicInteger();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<InputStream> open = new CopyOnWriteArrayList<>();

    /** @param seed client {@code c} draws its prompts from {@code seed * 1000 + c} */
    ClosedLoopLoad(String name, String gateway, String model, int clients, int promptTokens, int maxTokens,
                   Duration think, long seed) {
        this.name = name;
        this.gateway = gateway;
        this.model = model;
        this.clients = clients;
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
        this.think = think;
        this.seed = seed;
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            SplittableRandom random = new SplittableRandom(seed * 1000 + c);
            Thread t = new Thread(() -> {
                while (running.get()) {
                    request(random);
                    try {
                        Thread.sleep(think.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + name + "-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops sending; requests in flight finish. */
    void stop() {
        running.set(false);
    }

    /** Stops sending and waits (up to {@code timeout}) for the requests in flight to finish. */
    void stopAndWait(Duration timeout) throws InterruptedException {
        stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    /** Stops sending and cancels the streams in flight (the client goes away). */
    void abort() {
        aborted.set(true);
        running.set(false);
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException e) {
                // closing is the point; a stream that is already gone is fine
            }
        }
    }

    int done() {
        return done.get();
    }

    int failures() {
        return failures.get();
    }

    /** Token chunks received over every stream so far. */
    int tokens() {
        return tokens.get();
    }

    /** TTFTs of the finished requests sent within [from, to). */
    List<Double> ttfts(long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.startNanos() >= fromNanos && s.startNanos() < toNanos)
                .map(Sample::ttftMs).toList();
    }

    private void request(SplittableRandom random) {
        StringBuilder prompt = new StringBuilder(promptTokens * 6);
        for (int i = 0; i < promptTokens; i++) {
            prompt.append(i == 0 ? "" : ",").append(1 + random.nextInt(50_000));
        }
        String body = "{\"model\":" + RunningFleet.jsonString(model) + ",\"prompt\":[" + prompt
                + "],\"max_tokens\":" + maxTokens + ",\"stream\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/completions"))
                .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            open.add(response.body());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    failed("HTTP " + response.statusCode() + ": " + lines.readLine());
                    return;
                }
                double ttftMs = Double.NaN;
                boolean ended = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    String data = line.startsWith("data:") ? line.substring("data:".length()).trim() : "";
                    if (data.startsWith("{\"error\"")) {
                        failed(data);
                        return;
                    }
                    if (data.startsWith("{")) {
                        if (Double.isNaN(ttftMs)) {
                            ttftMs = (System.nanoTime() - start) / 1e6;
                        }
                        tokens.incrementAndGet();
                    }
                    ended |= data.equals("[DONE]");
                }
                if (!ended) {
                    failed("stream ended without [DONE]");
                    return;
                }
                samples.add(new Sample(start, ttftMs));
                done.incrementAndGet();
            } finally {
                open.remove(response.body());
            }
        } catch (IOException e) {
            failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void failed(String why) {
        if (aborted.get()) {
            return; // the client went away on purpose: not a failure of the fleet
        }
        failures.incrementAndGet();
        System.out.println("request failed (" + name + "): " + why);
    }
}
