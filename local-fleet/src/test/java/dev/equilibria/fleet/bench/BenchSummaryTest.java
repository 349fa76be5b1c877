package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {

    private static final long MS = 1_000_000L;

    /** A successful request sent at {@code startMs} whose tokens arrive at the given times (ms). */
    static RequestResult ok(String id, long startMs, long endMs, long... tokenMs) {
        long[] times = new long[tokenMs.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = tokenMs[i] * MS;
        }
        return new RequestResult(id, 0, startMs * MS, startMs * MS, endMs * MS, 128, tokenMs.length, 200,
                Outcome.SUCCESS, "", "", times, tokenMs.length, "");
    }

    static RequestResult failed(String id, Outcome outcome, String kind, long startMs, long endMs) {
        return new RequestResult(id, 0, startMs * MS, startMs * MS, endMs * MS, 128, 4, kind.startsWith("http") ? 503 : 0,
                outcome, kind, "x", new long[0], -1, "");
    }

    @Test
    void latenciesThroughputAndErrorsOverTheRun() {
        List<RequestResult> results = List.of(
                ok("a", 0, 400, 100, 200, 300, 400),      // ttft 100, itls 100 x3, e2e 400
                ok("b", 0, 700, 300, 400, 500, 700),      // ttft 300, itls 100, 100, 200, e2e 700
                failed("c", Outcome.EXPLICIT_ERROR, "http_503:no_workers_available", 100, 110),
                failed("d", Outcome.LOST, "truncated", 200, 1000));
        BenchRun.Result run = new BenchRun.Result(results, 2_000 * MS, "test", true, 2);

        BenchSummary s = BenchSummary.of(run, Slo.NONE);

        assertThat(s.requests()).isEqualTo(4);
        assertThat(s.succeeded()).isEqualTo(2);
        assertThat(s.explicitErrors()).isEqualTo(1);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.errorsByKind()).containsEntry("http_503:no_workers_available", 1).containsEntry("truncated", 1);
        assertThat(s.ttftMs().mean()).isCloseTo(200, within(1e-9));
        assertThat(s.itlMs().count()).isEqualTo(6); // every gap of the successful requests
        assertThat(s.itlMs().max()).isCloseTo(200, within(1e-9));
        assertThat(s.e2eMs().p50()).isCloseTo(550, within(1e-9));
        assertThat(s.totalOutputTokens()).isEqualTo(8);
        assertThat(s.requestThroughput()).isCloseTo(1.0, within(1e-9)); // 2 successes in 2 s
        assertThat(s.outputTokenThroughput()).isCloseTo(4.0, within(1e-9));
        assertThat(s.tokenMismatches()).isZero();
    }

    @Test
    void goodputCountsSuccessfulRequestsWithinEverySlo() {
        List<RequestResult> results = List.of(
                ok("fast", 0, 400, 100, 200, 300, 400),   // ttft 100, mean itl 100, e2e 400
                ok("slowStart", 0, 700, 300, 400, 500, 700),  // ttft 300
                ok("slowTokens", 0, 1000, 100, 400, 700, 1000), // mean itl 300
                failed("err", Outcome.EXPLICIT_ERROR, "http_429:queue_full", 0, 5));
        BenchRun.Result run = new BenchRun.Result(results, 4_000 * MS, "test", true, 4);

        BenchSummary ttftOnly = BenchSummary.of(run, new Slo(OptionalDouble.of(200), OptionalDouble.empty(),
                OptionalDouble.empty()));
        BenchSummary all = BenchSummary.of(run, new Slo(OptionalDouble.of(200), OptionalDouble.of(150),
                OptionalDouble.of(500)));
        BenchSummary e2e = BenchSummary.of(run, new Slo(OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.of(700)));

        assertThat(ttftOnly.goodRequests()).isEqualTo(2); // fast, slowTokens
        assertThat(all.goodRequests()).isEqualTo(1);      // fast
        assertThat(all.goodput()).isCloseTo(0.25, within(1e-9));
        assertThat(e2e.goodRequests()).isEqualTo(2);      // the limit itself is within the SLO
        assertThat(BenchSummary.of(run, Slo.NONE).goodRequests()).isEqualTo(3);
    }

    @Test
    void aStreamWhoseChunksDisagreeWithUsageIsAMismatch() {
        RequestResult dup = new RequestResult("dup", 0, 0, 0, 10 * MS, 1, 2, 200, Outcome.SUCCESS, "", "",
                new long[] {MS, 2 * MS, 3 * MS}, 2, "");

        BenchSummary s = BenchSummary.of(new BenchRun.Result(List.of(dup), 10 * MS, "t", true, 1), Slo.NONE);

        assertThat(dup.tokenCountMismatch()).isTrue();
        assertThat(s.tokenMismatches()).isEqualTo(1);
    }
}
