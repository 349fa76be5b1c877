package dev.equilibria.gateway.error;

import dev.equilibria.protocol.event.EventCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes an error as an OpenAI error document, always as JSON whatever the client's Accept header says, and logs
 * it: unexpected failures with their stack trace (in the log only), worker trouble as a warning.
 */
final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static Mono<Void> write(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ServerHttpRequest request = exchange.getRequest();
        ApiException api = resolve(request, error);
        byte[] body = EventCodec.mapper().writeValueAsBytes(api.toBody());
        response.setStatusCode(api.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        if (api.retryAfterSeconds() > 0) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(api.retryAfterSeconds()));
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static ApiException resolve(ServerHttpRequest request, Throwable error) {
        ApiException api = ApiErrors.from(error);
        String where = request.getMethod() + " " + request.getPath().value();
        if (api.status() == HttpStatus.NOT_FOUND && !(error instanceof ApiException)) {
            // OpenAI's wording for a path it does not serve
            api = new ApiException(HttpStatus.NOT_FOUND, ApiException.INVALID_REQUEST, null, ErrorCodes.NOT_FOUND,
                    "Invalid URL (" + where + ")");
        }
        if (ErrorCodes.INTERNAL_ERROR.equals(api.code())) {
            log.error("{} failed", where, error);
        } else if (api.status().is5xxServerError()) {
            log.warn("{} -> {} {}: {}", where, api.status().value(), api.code(), api.getMessage());
        } else {
            log.debug("{} -> {} {}: {}", where, api.status().value(), api.code(), api.getMessage());
        }
        return api;
    }
}
