package dev.equilibria.gateway;

import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.KvHandoff;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Workers that answer the worker API at once from a Reactor Netty server, for load tests where the JDK's HTTP
 * server would be the bottleneck. Prefill returns the first token; decode streams the rest, as {@link FakeWorkers}.
 */
final class NettyStubWorkers implements AutoCloseable {

    private final DisposableServer server;

    NettyStubWorkers() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .post("/workers/{id}/prefill", (request, response) -> response
                                .header("Content-Type", "application/json")
                                .sendString(request.receive().aggregate().asString(StandardCharsets.UTF_8).map(body -> {
                                    PrefillRequest prefill = EventCodec.decode(body, PrefillRequest.class);
                                    int n = prefill.promptTokenIds().length;
                                    return EventCodec.encode(new PrefillResult(prefill.requestId(),
                                            request.param("id"), n, 0, FakeWorkers.tokenAt(0),
                                            new KvHandoff(request.param("id"), n, List.of(), n * 1024L), 0.1));
                                })))
                        .post("/workers/{id}/decode", (request, response) -> response
                                .header("Content-Type", "text/event-stream")
                                .sendString(request.receive().aggregate().asString(StandardCharsets.UTF_8)
                                        .flatMapMany(body -> {
                                            DecodeRequest decode = EventCodec.decode(body, DecodeRequest.class);
                                            List<String> events = new ArrayList<>();
                                            for (int i = decode.generatedTokenIds().length; i < decode.maxTokens(); i++) {
                                                String finish = i == decode.maxTokens() - 1
                                                        ? GeneratedToken.FINISH_LENGTH : null;
                                                events.add("data:" + EventCodec.encode(new GeneratedToken(
                                                        decode.requestId(), i, FakeWorkers.tokenAt(i), finish)) + "\n\n");
                                            }
                                            return Flux.fromIterable(events);
                                        }))))
                .bindNow();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

}
