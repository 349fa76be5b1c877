package dev.equilibria.gateway.error;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers errors raised outside controllers (web filters, codecs) with an OpenAI error document. Ordered before
 * Spring Boot's default handler so clients never see its format.
 */
@Component
@Order(OpenAiErrorWebExceptionHandler.ORDER)
public class OpenAiErrorWebExceptionHandler implements WebExceptionHandler {

    /** Before Boot's {@code DefaultErrorWebExceptionHandler} (-1). */
    public static final int ORDER = -2;

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        return ErrorResponses.write(exchange, error);
    }
}
