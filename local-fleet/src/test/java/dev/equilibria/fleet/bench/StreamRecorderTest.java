package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamRecorderTest {

    private static final BenchRequest REQUEST = new BenchRequest("r1", 0, 0, new int[] {1, 2, 3}, 3);

    private static String chunk(String text) {
        return "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"" + text
                + "\",\"finish_reason\":null}],\"usage\":null}";
    }

    private static final String USAGE = "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}";

    private static void feed(StreamRecorder recorder, long startNanos, String... lines) {
        long t = startNanos;
        for (String line : lines) {
            t += 1_000_000;
            recorder.onLine(line, t);
        }
    }

    @Test
    void aCompleteStreamRecordsEveryTokenTheUsageAndItsTimes() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(200, Optional.empty());
        feed(recorder, 0, chunk("a"), "", chunk(""), "", chunk("c"), "", USAGE, "", "data: [DONE]", "");

        RequestResult r = recorder.onComplete(20_000_000);

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.chunkTokens()).as("an empty text piece is still a token").isEqualTo(3);
        assertThat(r.usageCompletionTokens()).isEqualTo(3);
        assertThat(r.tokenCountMismatch()).isFalse();
        assertThat(r.ttftMs()).as("an event arrives with the blank line that ends it").isEqualTo(2.0);
        assertThat(r.itlsMs()).containsExactly(2.0, 2.0);
        assertThat(r.e2eMs()).isEqualTo(20.0);
    }

    @Test
    void anErrorEventIsAnExplicitErrorNamedByItsCode() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(200, Optional.empty());
        feed(recorder, 0, chunk("a"), "", "data: {\"error\":{\"message\":\"decode worker gone\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":\"worker_error\"}}", "", "data: [DONE]", "");

        RequestResult r = recorder.onComplete(10_000_000);

        assertThat(r.outcome()).isEqualTo(Outcome.EXPLICIT_ERROR);
        assertThat(r.errorKind()).isEqualTo("stream:worker_error");
        assertThat(r.errorMessage()).isEqualTo("decode worker gone");
        assertThat(r.chunkTokens()).isEqualTo(1);
    }

    @Test
    void aStreamEndingWithoutDoneOrErrorIsLost() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(200, Optional.empty());
        feed(recorder, 0, chunk("a"), "", "data: [DONE]"); // [DONE] never closed by its blank line

        RequestResult r = recorder.onComplete(5_000_000);

        assertThat(r.outcome()).isEqualTo(Outcome.LOST);
        assertThat(r.errorKind()).isEqualTo("truncated");
        assertThat(r.errorMessage()).contains("in the middle of an event");
    }

    @Test
    void aConnectionResetMidStreamIsLost() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(200, Optional.empty());
        feed(recorder, 0, chunk("a"), "");

        RequestResult r = recorder.onFailure(new IOException("connection reset"), 3_000_000);

        assertThat(r.outcome()).isEqualTo(Outcome.LOST);
        assertThat(r.errorKind()).isEqualTo("truncated");
    }

    @Test
    void anHttpErrorIsExplicitWithItsCodeAndRetryAfter() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(429, Optional.of("1"));
        feed(recorder, 0, "{\"error\":{\"message\":\"busy\",\"type\":\"rate_limit_error\",\"param\":null,"
                + "\"code\":\"queue_full\"}}");

        RequestResult r = recorder.onComplete(2_000_000);

        assertThat(r.outcome()).isEqualTo(Outcome.EXPLICIT_ERROR);
        assertThat(r.errorKind()).isEqualTo("http_429:queue_full");
        assertThat(r.retryAfter()).isEqualTo("1");
        assertThat(r.ttftMs()).isNaN();
    }

    @Test
    void aRefusedConnectionIsExplicitButNoAnswerAfterSendingIsLost() {
        StreamRecorder refused = new StreamRecorder(REQUEST, 0, 0);
        RequestResult r = refused.onFailure(new java.util.concurrent.CompletionException(
                new ConnectException("Connection refused")), 1);
        assertThat(r.outcome()).isEqualTo(Outcome.EXPLICIT_ERROR);
        assertThat(r.errorKind()).isEqualTo("connect_refused");

        StreamRecorder dropped = new StreamRecorder(REQUEST, 0, 0);
        RequestResult d = dropped.onFailure(new IOException("HTTP/1.1 header parser received no bytes"), 1);
        assertThat(d.outcome()).isEqualTo(Outcome.LOST);
        assertThat(d.errorKind()).isEqualTo("no_response");
    }

    @Test
    void aTimeoutIsLostAndTheFirstEndWins() {
        StreamRecorder recorder = new StreamRecorder(REQUEST, 0, 0);
        recorder.onResponse(200, Optional.empty());
        feed(recorder, 0, chunk("a"), "");

        RequestResult timedOut = recorder.onTimeout(9_000_000);
        RequestResult later = recorder.onComplete(10_000_000);

        assertThat(timedOut.outcome()).isEqualTo(Outcome.LOST);
        assertThat(timedOut.errorKind()).isEqualTo("timeout");
        assertThat(later).isSameAs(timedOut);
    }
}
