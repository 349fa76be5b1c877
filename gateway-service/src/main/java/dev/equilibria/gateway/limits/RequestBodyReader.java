package dev.equilibria.gateway.limits;

import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.metrics.GatewayMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads an API request's body as text, within the limits: JSON content type (or none), at most
 * {@code limits.max-body-size} bytes (413, refused from {@code Content-Length} before reading when it is declared),
 * received whole within {@code limits.body-read-timeout} (408, so a client that trickles or stalls its body cannot
 * hold a connection), and valid UTF-8 (400: JSON text must be UTF-8, and replacing bad bytes would change the prompt
 * silently). A body over the limit by at most {@link #MAX_SWALLOW_BYTES} is still read to its end and dropped before
 * the 413, so the connection stays usable; a larger one (declared or found) and a late one close the connection,
 * since the rest of the body is not read.
 */
@Component
public class RequestBodyReader {

    /**
     * Bytes past {@code max-body-size} that are still read, and dropped, before a 413. Closing a connection with
     * request bytes unread makes the kernel reset it, which can destroy the 413 before the client has read it: the
     * seeded fuzz of {@code HostileInputTests} once got no answer at all to a body 60 bytes over the limit. Tomcat's
     * {@code maxSwallowSize} has the same default.
     */
    public static final int MAX_SWALLOW_BYTES = 2 * 1024 * 1024;

    private final int maxBytes;
    private final Duration readTimeout;
    private final GatewayMetrics metrics;

    public RequestBodyReader(GatewayProperties properties, GatewayMetrics metrics) {
        this.maxBytes = (int) properties.limits().maxBodySize().toBytes();
        this.readTimeout = properties.limits().bodyReadTimeout();
        this.metrics = metrics;
    }

    /** The body as a string ("" when there is none), or an {@link ApiException}. */
    public Mono<String> read(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        MediaType type;
        try {
            type = request.getHeaders().getContentType();
        } catch (RuntimeException e) {
            return refuseUnread(exchange, unsupportedType("an unreadable Content-Type"));
        }
        if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type)
                && !"json".equals(type.getSubtypeSuffix())) {
            return refuseUnread(exchange, unsupportedType("Content-Type " + type));
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > readLimit()) {
            return Mono.error(tooLarge(exchange, declared + " bytes", true));
        }
        BoundedBody body = new BoundedBody(maxBytes, readLimit());
        return readInto(request, body)
                .flatMap(whole -> whole.tooLarge()
                        ? Mono.<String>error(tooLarge(exchange, "more than " + maxBytes + " bytes", false))
                        : Mono.justOrEmpty(whole.joined()).map(RequestBodyReader::decode))
                .defaultIfEmpty("")
                .doFinally(signal -> body.release())
                .onErrorMap(BoundedBody.UnreadRest.class, e -> tooLarge(exchange, "more than " + readLimit()
                        + " bytes", true))
                .onErrorMap(TimeoutException.class, e -> timedOut(exchange));
    }

    /** Feeds the request's body into {@code body}, within {@code body-read-timeout}; the caller releases it. */
    private Mono<BoundedBody> readInto(ServerHttpRequest request, BoundedBody body) {
        return request.getBody().collect(() -> body, BoundedBody::add).timeout(readTimeout);
    }

    /** How much of a body is read at most, the part past {@code max-body-size} only to drop it. */
    private long readLimit() {
        return (long) maxBytes + MAX_SWALLOW_BYTES;
    }

    /** Refuses a request whose body will not be used, after {@link #discard discarding} that body. */
    private <T> Mono<T> refuseUnread(ServerWebExchange exchange, ApiException refusal) {
        return discard(exchange).then(Mono.error(refusal));
    }

    /**
     * Reads and drops a request body that will not be used, within the read limit: left unread on a kept-alive
     * connection, its bytes would be taken for the next request, which then hangs. A body declared or found larger
     * than the limit, or too slow to arrive, closes the connection instead.
     */
    public Mono<Void> discard(ServerWebExchange exchange) {
        if (exchange.getRequest().getHeaders().getContentLength() > readLimit()) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            return Mono.empty();
        }
        BoundedBody body = new BoundedBody(0, readLimit());
        return readInto(exchange.getRequest(), body)
                .doFinally(signal -> body.release())
                .then()
                .onErrorResume(e -> {
                    exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                    return Mono.empty();
                });
    }

    private static String decode(DataBuffer buffer) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(buffer.readableByteCount());
            buffer.toByteBuffer(bytes);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalidRequest(null, ErrorCodes.INVALID_ENCODING,
                    "the request body is not valid UTF-8; JSON must be sent as UTF-8");
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** @param unread whether part of the body stays unread, so that the connection must close after the answer */
    private ApiException tooLarge(ServerWebExchange exchange, String size, boolean unread) {
        metrics.edgeRejected("body_too_large");
        if (unread) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, ApiException.INVALID_REQUEST, null,
                ErrorCodes.REQUEST_TOO_LARGE, "the request body has " + size + "; the limit is " + maxBytes
                + " bytes");
    }

    private ApiException timedOut(ServerWebExchange exchange) {
        metrics.edgeRejected("body_read_timeout");
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return new ApiException(HttpStatus.REQUEST_TIMEOUT, ApiException.INVALID_REQUEST, null,
                ErrorCodes.REQUEST_TIMEOUT, "the request body was not received within " + readTimeout.toMillis()
                + " ms");
    }

    private static ApiException unsupportedType(String what) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiException.INVALID_REQUEST, null,
                ErrorCodes.UNSUPPORTED_MEDIA_TYPE, what + " is not supported; send the body as application/json");
    }
}
