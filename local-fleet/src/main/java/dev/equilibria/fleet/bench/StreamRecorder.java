package dev.equilibria.fleet.bench;

import dev.equilibria.protocol.event.EventCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Arrays;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows one streamed completion as its lines arrive and classifies how it ended: records the arrival of every
 * token chunk, the usage chunk, an error event or error body, and {@code [DONE]}. Times are the caller's
 * nanosecond clock. Not thread-safe: the HTTP client delivers one stream's lines in order.
 */
public final class StreamRecorder {

    /** The stream's end marker. */
    public static final String DONE = "[DONE]";
    /** How much of an error body the record keeps. */
    static final int MAX_ERROR_CHARS = 300;

    private final BenchRequest request;
    private final long scheduledNanos;
    private final long startNanos;
    private final SseParser sse = new SseParser();
    private final StringBuilder errorBody = new StringBuilder();

    private int status;
    private String retryAfter = "";
    private long[] tokenTimes = new long[16];
    private int tokens;
    private int usageCompletionTokens = -1;
    private boolean done;
    private String streamErrorKind;
    private String streamErrorMessage;
    private RequestResult result;

    public StreamRecorder(BenchRequest request, long scheduledNanos, long startNanos) {
        this.request = request;
        this.scheduledNanos = scheduledNanos;
        this.startNanos = startNanos;
    }

    /** The response's status and its {@code Retry-After}, if any. */
    public void onResponse(int status, Optional<String> retryAfter) {
        this.status = status;
        this.retryAfter = retryAfter.orElse("");
    }

    /** One line of the body, arrived at {@code nanos}. */
    public void onLine(String line, long nanos) {
        if (status != 200) {
            if (errorBody.length() < MAX_ERROR_CHARS * 4) {
                errorBody.append(line).append('\n');
            }
            return;
        }
        sse.feed(line).ifPresent(data -> onEvent(data, nanos));
    }

    private void onEvent(String data, long nanos) {
        if (data.equals(DONE)) {
            done = true;
            return;
        }
        JsonNode chunk;
        try {
            chunk = EventCodec.mapper().readTree(data);
        } catch (JacksonException e) {
            streamError("stream:bad_chunk", "not JSON: " + shorten(data));
            return;
        }
        JsonNode error = chunk.path("error");
        if (error.isObject()) {
            String code = error.path("code").asString("");
            streamError("stream:" + (code.isEmpty() ? error.path("type").asString("error") : code),
                    error.path("message").asString(""));
            return;
        }
        JsonNode choices = chunk.path("choices");
        if (choices.isArray() && !choices.isEmpty()) {
            if (tokens == tokenTimes.length) {
                tokenTimes = Arrays.copyOf(tokenTimes, tokens * 2);
            }
            tokenTimes[tokens++] = nanos;
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject() && usage.has("completion_tokens")) {
            usageCompletionTokens = usage.path("completion_tokens").asInt();
        }
    }

    private void streamError(String kind, String message) {
        if (streamErrorKind == null) {
            streamErrorKind = kind;
            streamErrorMessage = message;
        }
    }

    /** The body ended normally at {@code nanos}. */
    public RequestResult onComplete(long nanos) {
        if (result != null) {
            return result;
        }
        if (status != 200) {
            return finish(nanos, Outcome.EXPLICIT_ERROR, httpErrorKind(), shorten(errorBody.toString().strip()));
        }
        if (streamErrorKind != null) {
            return finish(nanos, Outcome.EXPLICIT_ERROR, streamErrorKind, streamErrorMessage);
        }
        if (!done) {
            return finish(nanos, Outcome.LOST, "truncated", "the stream ended without [DONE] after " + tokens
                    + " tokens" + (sse.hasPendingEvent() ? " (in the middle of an event)" : ""));
        }
        return finish(nanos, Outcome.SUCCESS, "", "");
    }

    /**
     * The exchange failed at {@code nanos}: a refused connection is explicit (the server accepted nothing); a
     * connection lost after sending, or a stream cut without an error event, is lost.
     */
    public RequestResult onFailure(Throwable failure, long nanos) {
        if (result != null) {
            return result;
        }
        Throwable cause = rootCause(failure);
        String message = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (status == 0) {
            // nothing reached the server: the client knows the request was not taken
            if (cause instanceof ConnectException) {
                return finish(nanos, Outcome.EXPLICIT_ERROR, "connect_refused", message);
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return finish(nanos, Outcome.EXPLICIT_ERROR, "connect_timeout", message);
            }
            return finish(nanos, Outcome.LOST, "no_response", message);
        }
        if (status == 200 && streamErrorKind != null) {
            return finish(nanos, Outcome.EXPLICIT_ERROR, streamErrorKind, streamErrorMessage);
        }
        if (status != 200) {
            return finish(nanos, Outcome.EXPLICIT_ERROR, httpErrorKind(), message);
        }
        return finish(nanos, Outcome.LOST, "truncated", message + " after " + tokens + " tokens");
    }

    /** The request ran past the client's timeout; whatever arrived so far is kept. */
    public RequestResult onTimeout(long nanos) {
        if (result != null) {
            return result;
        }
        return finish(nanos, Outcome.LOST, "timeout", "no end of the stream within the request timeout ("
                + tokens + " tokens so far)");
    }

    private String httpErrorKind() {
        String code = "";
        try {
            JsonNode error = EventCodec.mapper().readTree(errorBody.toString()).path("error");
            code = error.path("code").asString("");
            if (code.isEmpty()) {
                code = error.path("type").asString("");
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // not an OpenAI error body: the status says enough
        }
        return "http_" + status + (code.isEmpty() ? "" : ":" + code);
    }

    private RequestResult finish(long nanos, Outcome outcome, String kind, String message) {
        result = new RequestResult(request.id(), request.client(), scheduledNanos, startNanos, nanos,
                request.promptTokens().length, request.maxTokens(), status, outcome, kind, message,
                Arrays.copyOf(tokenTimes, tokens), usageCompletionTokens, retryAfter);
        return result;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException
                || (t.getCause() != null && !(t instanceof IOException))) && t.getCause() != null) {
            t = t.getCause();
        }
        // the HTTP client wraps a refused connection in an IOException whose cause says so
        if (t instanceof IOException && !(t instanceof ConnectException) && t.getCause() instanceof ConnectException c) {
            return c;
        }
        return t;
    }

    private static String shorten(String text) {
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "..." : text;
    }
}
