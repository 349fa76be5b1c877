package dev.equilibria.gateway.error;

import dev.equilibria.gateway.admin.AdminErrors;
import dev.equilibria.gateway.admin.AdminProblems;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers errors raised outside controllers (web filters, codecs) with an OpenAI error document (an RFC 7807
 * problem under {@code /admin}). Ordered before
 * Spring Boot's default handler so clients never see its format.
 */
@Component
@Order(OpenAiErrorWebExceptionHandler.ORDER)
public class OpenAiErrorWebExceptionHandler implements WebExceptionHandler {

    /** Before Boot's {@code DefaultErrorWebExceptionHandler} (-1). */
    public static final int ORDER = -2;

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (AdminProblems.isAdminPath(exchange)) {
            return AdminErrors.write(exchange, error);
        }
        return ErrorResponses.write(exchange, error);
    }
}
