package dev.equilibria.gateway.api;

import dev.equilibria.gateway.limits.RequestBodyReader;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * OpenAI's {@code POST /v1/completions} and {@code POST /v1/chat/completions}. Bodies are read as text within the
 * size, time and encoding limits ({@link RequestBodyReader}) and parsed by hand, so malformed JSON and wrong types
 * get precise 400s.
 */
@RestController
public class CompletionsController {

    public static final String PATH = "/v1/completions";
    public static final String CHAT_PATH = "/v1/chat/completions";

    private final CompletionHandler handler;
    private final RequestBodyReader bodies;

    public CompletionsController(CompletionHandler handler, RequestBodyReader bodies) {
        this.handler = handler;
        this.bodies = bodies;
    }

    @PostMapping(PATH)
    public Mono<Void> complete(ServerWebExchange exchange) {
        return bodies.read(exchange).flatMap(body -> handler.handle(body, exchange.getRequest().getHeaders(),
                exchange.getResponse(), OutputFormat.COMPLETION));
    }

    @PostMapping(CHAT_PATH)
    public Mono<Void> chat(ServerWebExchange exchange) {
        return bodies.read(exchange).flatMap(body -> handler.handle(body, exchange.getRequest().getHeaders(),
                exchange.getResponse(), OutputFormat.CHAT));
    }
}
