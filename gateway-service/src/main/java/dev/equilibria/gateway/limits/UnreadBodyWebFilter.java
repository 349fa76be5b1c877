package dev.equilibria.gateway.limits;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Discards the body of a request that ends in an error before anything subscribed to it: a 404 for an unknown path,
 * a 405, a 401 or 429 from a filter. A body nobody reads can stay buffered on a kept-alive connection, and the next
 * request on it then gets no answer: the seeded fuzz of {@code HostileInputTests} hung twice in clean-clone builds
 * on the request after a {@code POST /v1/chat} (404) with a body. Runs first, so it sees every refusal from the
 * filters and handlers behind it; refusals a controller renders itself discard through {@link RequestBodyReader}.
 */
@Component
public class UnreadBodyWebFilter implements WebFilter, Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private final RequestBodyReader bodies;

    public UnreadBodyWebFilter(RequestBodyReader bodies) {
        this.bodies = bodies;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!hasBody(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        AtomicBoolean read = new AtomicBoolean();
        ServerHttpRequest tracked = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnSubscribe(subscription -> read.set(true));
            }
        };
        ServerWebExchange trackedExchange = exchange.mutate().request(tracked).build();
        return chain.filter(trackedExchange)
                .onErrorResume(error -> !read.get(), error -> bodies.discard(trackedExchange).then(Mono.error(error)));
    }

    private static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
