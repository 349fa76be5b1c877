package dev.equilibria.fleet.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against a gateway: closed-loop clients (each sends its next request when the last one ended, after a
 * short back-off if it failed) or open-loop arrivals at the workload's times, until the request or duration limit
 * or {@link #stop()}; then waits for the requests in flight. {@link #start()} returns at once, so a test can inject
 * faults while it runs; {@link #await()} gives the results. All times are nanoseconds since {@link #start()}
 * ({@link #now()}).
 */
public final class BenchRun implements AutoCloseable {

    /** What a finished run measured. */
    public record Result(List<RequestResult> requests, long durationNanos, String workload, boolean closedLoop,
                         int clients) {
    }

    private final WorkloadSource source;
    private final int requestLimit;
    private final long durationLimitNanos;
    private final Duration errorBackoff;
    private final int maxInFlight;
    private final Optional<PrintStream> progressOut;
    private final HttpClient http = CompletionClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-timer");
        t.setDaemon(true);
        return t;
    });
    private final CompletionClient client;
    private final Recorder recorder = new Recorder();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Queue<CompletableFuture<Void>> inFlight = new ConcurrentLinkedQueue<>();
    private final List<CompletableFuture<Void>> drivers = new ArrayList<>();
    private BenchProgress progress;
    private long startNanos;

    /**
     * @param progressOut where progress lines go while it runs, if anywhere
     */
    public BenchRun(BenchOptions options, WorkloadSource source, String gatewayUrl, String model,
                    Optional<PrintStream> progressOut) {
        this.source = source;
        this.requestLimit = options.requests();
        this.durationLimitNanos = options.duration().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        this.errorBackoff = options.errorBackoff();
        this.maxInFlight = options.maxInFlight();
        this.progressOut = progressOut;
        this.client = new CompletionClient(http, gatewayUrl, model, options.apiKey(), options.requestTimeout(), timer,
                this::now);
    }

    /** Nanoseconds since the run started. */
    public long now() {
        return System.nanoTime() - startNanos;
    }

    public Recorder recorder() {
        return recorder;
    }

    /** Starts sending in the background. */
    public synchronized BenchRun start() {
        startNanos = System.nanoTime();
        progressOut.ifPresent(out -> {
            progress = new BenchProgress(recorder, out, this::now, requestLimit, durationLimitNanos);
            progress.start(timer);
        });
        if (source.closedLoop()) {
            for (int c = 0; c < source.clients(); c++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                drivers.add(done);
                nextOfClient(c, done);
            }
        } else {
            CompletableFuture<Void> done = new CompletableFuture<>();
            drivers.add(done);
            Thread arrivals = new Thread(() -> {
                try {
                    openLoop();
                } finally {
                    done.complete(null);
                }
            }, "bench-arrivals");
            arrivals.setDaemon(true);
            arrivals.start();
        }
        return this;
    }

    /** Stops issuing requests; those in flight still finish. */
    public void stop() {
        stopped.set(true);
    }

    /** True while a new request may go out: not stopped, and under both limits (claims a slot when true). */
    private boolean claimSlot() {
        if (stopped.get() || now() >= durationLimitNanos) {
            return false;
        }
        if (issued.incrementAndGet() > requestLimit) {
            return false;
        }
        return true;
    }

    private void nextOfClient(int c, CompletableFuture<Void> done) {
        if (!claimSlot()) {
            done.complete(null);
            return;
        }
        Optional<BenchRequest> request = source.next(c);
        if (request.isEmpty()) {
            done.complete(null);
            return;
        }
        recorder.sent();
        // tracked until recorded, so await() never returns before the last result is in
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        inFlight.add(recorded);
        client.send(request.get(), now()).thenAccept(result -> {
            recorder.finished(result);
            if (result.succeeded() || errorBackoff.isZero()) {
                nextOfClient(c, done);
            } else {
                timer.schedule(() -> nextOfClient(c, done), errorBackoff.toNanos(), TimeUnit.NANOSECONDS);
            }
            inFlight.remove(recorded);
            recorded.complete(null);
        });
    }

    private void openLoop() {
        Semaphore slots = new Semaphore(maxInFlight);
        while (true) {
            Optional<BenchRequest> next = source.next(-1);
            if (next.isEmpty()) {
                return;
            }
            BenchRequest request = next.get();
            long wait;
            while ((wait = request.arrivalNanos() - now()) > 0 && !stopped.get()) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
            }
            if (!claimSlot()) {
                return;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            recorder.sent();
            CompletableFuture<Void> recorded = new CompletableFuture<>();
            inFlight.add(recorded);
            client.send(request, request.arrivalNanos()).thenAccept(result -> {
                recorder.finished(result);
                slots.release();
                inFlight.remove(recorded);
                recorded.complete(null);
            });
        }
    }

    /** Waits until the limits are reached (or {@link #stop()}) and every request in flight has ended. */
    public Result await() {
        CompletableFuture.allOf(drivers.toArray(CompletableFuture[]::new)).join();
        CompletableFuture<?>[] pending;
        while ((pending = inFlight.toArray(CompletableFuture[]::new)).length > 0) {
            CompletableFuture.allOf(pending).join();
        }
        if (progress != null) {
            progress.stop();
        }
        List<RequestResult> results = recorder.results();
        long end = results.stream().mapToLong(RequestResult::endNanos).max().orElse(now());
        return new Result(results, Math.max(1, end), source.describe(), source.closedLoop(), source.clients());
    }

    /** Starts, waits, and returns the results. */
    public Result run() {
        start();
        return await();
    }

    @Override
    public void close() {
        stop();
        timer.shutdownNow();
    }
}
