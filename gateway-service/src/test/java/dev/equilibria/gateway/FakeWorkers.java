package dev.equilibria.gateway;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.KvHandoff;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Workers that speak the worker HTTP API from one in-test HTTP server, as a worker process hosting several workers
 * does. Output is deterministic: token {@code i} of every request is {@link #tokenAt(int)}.
 */
final class FakeWorkers implements AutoCloseable {

    /** Text whose tokens the workers generate, cycling; the emoji's two tokens split one character. */
    static final String OUTPUT_TEXT = " The quick brown fox jumps over the lazy dog 🙂";
    static final int[] OUTPUT_TOKENS = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE)
            .encodeOrdinary(OUTPUT_TEXT).toArray();
    static final int MAX_MODEL_LEN = 256;

    /** How a worker answers. */
    enum Behavior {
        NORMAL,
        /** Refuses every leg with 503, as an overloaded worker does. */
        OVERLOADED,
        /** Every batch slot taken: refuses with 429 a leg that asks to be refused when full, serves the others. */
        FULL,
        /** Fails every leg with 500. */
        BROKEN,
        /** Streams one decode token, then ends the stream without a finish reason. */
        TRUNCATES,
        /** Streams decode tokens {@link #SLOW_TOKEN_MILLIS} apart and notices a client that goes away. */
        SLOW,
        /** Streams one decode token, then holds the stream open until {@link #release(String)}. */
        HOLDS
    }

    static final long SLOW_TOKEN_MILLIS = 50;

    record Worker(String id, WorkerRole role, String model, Behavior behavior) {
    }

    /** A call a worker received. */
    record Call(String workerId, String leg, Object request) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Queue<String> cancelled = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger streaming = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, java.util.concurrent.CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

    FakeWorkers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/workers/", this::handle);
        server.start();
    }

    static int tokenAt(int index) {
        return OUTPUT_TOKENS[index % OUTPUT_TOKENS.length];
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Worker add(String id, WorkerRole role, String model, Behavior behavior) {
        Worker worker = new Worker(id, role, model, behavior);
        workers.put(id, worker);
        return worker;
    }

    WorkerHeartbeat heartbeat(Worker worker) {
        return new WorkerHeartbeat(worker.id(), worker.role(), endpoint(), worker.model(),
                new WorkerCapacity(64, 2048, 1024, 16, MAX_MODEL_LEN), false, System.currentTimeMillis());
    }

    /** A heartbeat announcing a longer context than {@link #MAX_MODEL_LEN}, and another endpoint. */
    WorkerHeartbeat heartbeatWithMaxModelLen(Worker worker, int maxModelLen, String endpoint) {
        return new WorkerHeartbeat(worker.id(), worker.role(), endpoint, worker.model(),
                new WorkerCapacity(256, 8192, 1 << 20, 16, maxModelLen), false, System.currentTimeMillis());
    }

    List<Call> calls(String requestId) {
        return calls.stream().filter(c -> requestId.equals(requestIdOf(c.request()))).toList();
    }

    long callsTo(String workerId) {
        return calls.stream().filter(c -> c.workerId().equals(workerId)).count();
    }

    /** Request ids whose decode stream the gateway closed before the end (a cancelled request). */
    List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    /** Lets the streams of a {@link Behavior#HOLDS} worker finish, held ones and later ones, until {@link #hold}. */
    void release(String workerId) {
        gates.computeIfAbsent(workerId, id -> new java.util.concurrent.CompletableFuture<>()).complete(null);
    }

    /** Holds the streams of a {@link Behavior#HOLDS} worker again (they start held). */
    void hold(String workerId) {
        gates.put(workerId, new java.util.concurrent.CompletableFuture<>());
    }

    /** Decode streams open now. */
    int streaming() {
        return streaming.get();
    }

    private static String requestIdOf(Object request) {
        return request instanceof PrefillRequest p ? p.requestId() : ((DecodeRequest) request).requestId();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/"); // "", workers, id, leg
            Worker worker = path.length == 4 ? workers.get(path[2]) : null;
            if (worker == null || !"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 404, "{\"detail\":\"no such worker\"}");
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean prefill = path[3].equals("prefill");
            Object request = prefill ? EventCodec.decode(body, PrefillRequest.class)
                    : EventCodec.decode(body, DecodeRequest.class);
            calls.add(new Call(worker.id(), path[3], request));
            switch (worker.behavior()) {
                case OVERLOADED -> respond(exchange, 503, "{\"detail\":\"worker " + worker.id() + " is overloaded\"}");
                case BROKEN -> respond(exchange, 500, "{\"detail\":\"engine crashed\"}");
                case FULL -> {
                    boolean refuse = request instanceof PrefillRequest p ? p.refusesWhenFull()
                            : ((DecodeRequest) request).refusesWhenFull();
                    if (refuse) {
                        respond(exchange, 429, "{\"detail\":\"worker " + worker.id() + " has no free batch slot\"}");
                    } else if (prefill) {
                        prefill(exchange, worker, (PrefillRequest) request);
                    } else {
                        decode(exchange, worker, (DecodeRequest) request);
                    }
                }
                default -> {
                    if (prefill) {
                        prefill(exchange, worker, (PrefillRequest) request);
                    } else {
                        decode(exchange, worker, (DecodeRequest) request);
                    }
                }
            }
        }
    }

    private void prefill(HttpExchange exchange, Worker worker, PrefillRequest request) throws IOException {
        int promptTokens = request.promptTokenIds().length;
        PrefillResult result = new PrefillResult(request.requestId(), worker.id(), promptTokens, 0, tokenAt(0),
                new KvHandoff(worker.id(), promptTokens, List.of(), promptTokens * 1024L), 1.5);
        respond(exchange, 200, EventCodec.encode(result));
    }

    private void decode(HttpExchange exchange, Worker worker, DecodeRequest request) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int first = request.generatedTokenIds().length;
        int last = worker.behavior() == Behavior.TRUNCATES ? first : request.maxTokens() - 1;
        streaming.incrementAndGet();
        try {
            for (int index = first; index <= last; index++) {
                String finish = index == request.maxTokens() - 1 ? GeneratedToken.FINISH_LENGTH : null;
                GeneratedToken token = new GeneratedToken(request.requestId(), index, tokenAt(index), finish);
                if (worker.behavior() == Behavior.SLOW) {
                    Thread.sleep(SLOW_TOKEN_MILLIS);
                }
                if (worker.behavior() == Behavior.HOLDS && index == first + 1) {
                    try {
                        gates.computeIfAbsent(worker.id(), id -> new java.util.concurrent.CompletableFuture<>())
                                .get(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new IOException("held too long", e);
                    }
                }
                out.write(("data:" + EventCodec.encode(token) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException gone) {
            cancelled.add(request.requestId());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            streaming.decrementAndGet();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
