package dev.equilibria.gateway.api;

import dev.equilibria.protocol.event.EventCodec;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes completion answers. Server-sent events are framed by hand as {@code data: <payload>} plus a blank line,
 * exactly what OpenAI sends and its clients parse, and each event is flushed as soon as it exists (Spring's SSE
 * writer omits the space after {@code data:}).
 */
final class ResponseWriters {

    /** The payload that ends an OpenAI stream. */
    static final String DONE = "[DONE]";

    private ResponseWriters() {
    }

    static Mono<Void> json(ServerHttpResponse response, Object body) {
        byte[] bytes = EventCodec.mapper().writeValueAsBytes(body);
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    static Mono<Void> eventStream(ServerHttpResponse response, Flux<String> payloads) {
        response.setStatusCode(HttpStatus.OK);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl("no-cache");
        headers.set("X-Accel-Buffering", "no"); // tells nginx-style proxies not to buffer the stream
        return response.writeAndFlushWith(payloads.map(payload -> Mono.just(response.bufferFactory()
                .wrap(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8)))));
    }
}
