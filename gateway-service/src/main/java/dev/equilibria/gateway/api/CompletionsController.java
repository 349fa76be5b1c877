package dev.equilibria.gateway.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * OpenAI's {@code POST /v1/completions} and {@code POST /v1/chat/completions}. Bodies are read as text and parsed
 * by hand, so malformed JSON and wrong types get precise 400s.
 */
@RestController
public class CompletionsController {

    public static final String PATH = "/v1/completions";
    public static final String CHAT_PATH = "/v1/chat/completions";

    private final CompletionHandler handler;

    public CompletionsController(CompletionHandler handler) {
        this.handler = handler;
    }

    @PostMapping(PATH)
    public Mono<Void> complete(@RequestBody(required = false) String body, @RequestHeader HttpHeaders headers,
                               ServerHttpResponse response) {
        return handler.handle(body, headers, response, OutputFormat.COMPLETION);
    }

    @PostMapping(CHAT_PATH)
    public Mono<Void> chat(@RequestBody(required = false) String body, @RequestHeader HttpHeaders headers,
                           ServerHttpResponse response) {
        return handler.handle(body, headers, response, OutputFormat.CHAT);
    }
}
