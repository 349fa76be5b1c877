package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.EventFormatException;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.protocol.worker.WorkerPaths;
import dev.equilibria.routing.registry.LiveWorker;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.time.Duration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Calls the two legs of the worker HTTP API ({@link WorkerPaths}). Bodies are written and read with
 * {@link EventCodec} so the wire format is the protocol's snake_case JSON whatever Spring's mapper says. Every
 * failure surfaces as a {@link WorkerCallException}.
 */
public class WorkerClient implements AutoCloseable {

    /** Connections to all workers together; a decode stream holds one for its whole length. */
    public static final int MAX_CONNECTIONS = 2048;
    /** Calls that may wait for a free connection before the gateway fails them. */
    public static final int MAX_PENDING_CONNECTIONS = 8192;
    /** Largest prefill answer read; its handoff lists one hash per KV block. */
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    /** Longest part of a worker's error body quoted back to the client. */
    static final int MAX_REASON_CHARS = 300;

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {
            };

    /**
     * Pooled connections idle longer than this are closed by the gateway itself: below the workers' own
     * {@code server.netty.idle-timeout} (60 s), so the gateway never reuses a connection the worker just closed.
     */
    public static final Duration MAX_IDLE_CONNECTION_TIME = Duration.ofSeconds(45);

    private final ConnectionProvider connections;
    private final WebClient web;

    public WorkerClient(Duration connectTimeout) {
        this.connections = ConnectionProvider.builder("equilibria-workers")
                .maxConnections(MAX_CONNECTIONS)
                .pendingAcquireMaxCount(MAX_PENDING_CONNECTIONS)
                .maxIdleTime(MAX_IDLE_CONNECTION_TIME)
                .build();
        HttpClient http = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        this.web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES))
                .build();
    }

    /** Runs prefill; completes with the worker's result once the prompt is prefilled. */
    public Mono<PrefillResult> prefill(LiveWorker worker, PrefillRequest request) {
        WorkerRole leg = WorkerRole.PREFILL;
        return web.post()
                .uri(base(worker) + WorkerPaths.PREFILL, worker.workerId())
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(EventCodec.encode(request))
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(String.class)
                        .switchIfEmpty(Mono.error(() -> WorkerCallException.badResponse(leg, worker.workerId(),
                                "empty body")))
                        .map(json -> read(json, PrefillResult.class, leg, worker))
                        : rejected(response, leg, worker))
                .onErrorMap(e -> !(e instanceof WorkerCallException), e -> failure(e, leg, worker));
    }

    /** Runs decode; streams the generated tokens as the worker sends them. */
    public Flux<GeneratedToken> decode(LiveWorker worker, DecodeRequest request) {
        WorkerRole leg = WorkerRole.DECODE;
        return web.post()
                .uri(base(worker) + WorkerPaths.DECODE, worker.workerId())
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(EventCodec.encode(request))
                .exchangeToFlux(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToFlux(SSE)
                        .filter(event -> event.data() != null && !event.data().isBlank())
                        .map(event -> read(event.data(), GeneratedToken.class, leg, worker))
                        : WorkerClient.<GeneratedToken>rejected(response, leg, worker).flux())
                .onErrorMap(e -> !(e instanceof WorkerCallException), e -> failure(e, leg, worker));
    }

    @Override
    public void close() {
        connections.dispose();
    }

    private static String base(LiveWorker worker) {
        String endpoint = worker.endpoint();
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    /** Connection trouble means the worker is gone or going; anything else is a bad answer. */
    private static WorkerCallException failure(Throwable error, WorkerRole leg, LiveWorker worker) {
        boolean connection = error instanceof WebClientRequestException || error instanceof IOException
                || error.getCause() instanceof IOException;
        return connection ? WorkerCallException.unreachable(leg, worker.workerId(), error)
                : WorkerCallException.badResponse(leg, worker.workerId(), String.valueOf(error.getMessage()));
    }

    private static <T> T read(String json, Class<T> type, WorkerRole leg, LiveWorker worker) {
        try {
            return EventCodec.decode(json, type);
        } catch (EventFormatException e) {
            throw WorkerCallException.badResponse(leg, worker.workerId(), e.getMessage());
        }
    }

    private static <T> Mono<T> rejected(ClientResponse response, WorkerRole leg, LiveWorker worker) {
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("")
                .flatMap(body -> Mono.error(WorkerCallException.rejected(leg, worker.workerId(), status,
                        reason(body))));
    }

    /** The human part of a worker's error body: a problem's detail, an OpenAI error's message, or the raw text. */
    static String reason(String body) {
        String reason = body.strip();
        try {
            JsonNode json = EventCodec.mapper().readTree(body);
            if (json == null || !json.isObject()) {
                return excerpt(reason);
            }
            for (JsonNode candidate : new JsonNode[] {json.path("detail"), json.path("error").path("message"),
                    json.path("message"), json.path("error")}) {
                if (candidate.isString() && !candidate.stringValue().isBlank()) {
                    reason = candidate.stringValue();
                    break;
                }
            }
        } catch (JacksonException notJson) {
            // keep the raw text
        }
        return excerpt(reason);
    }

    private static String excerpt(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
    }
}
