package dev.equilibria.fleet.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.fleet.bench.Outcome;
import dev.equilibria.fleet.bench.RequestResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadVerdictTest {

    private static final long S = 1_000_000_000L;

    private static RequestResult ok(String id, double startS, double endS, int tokens, int usage, int max) {
        long[] times = new long[tokens];
        for (int i = 0; i < tokens; i++) {
            times[i] = (long) (startS * S) + i + 1;
        }
        return new RequestResult(id, 0, (long) (startS * S), (long) (startS * S), (long) (endS * S), 8, max, 200,
                Outcome.SUCCESS, "", "", times, usage, "");
    }

    private static RequestResult failed(String id, Outcome outcome, String kind, double startS, double endS) {
        return new RequestResult(id, 0, (long) (startS * S), (long) (startS * S), (long) (endS * S), 8, 4, 0, outcome,
                kind, "m", new long[0], -1, "");
    }

    @Test
    void recoveryIsMeasuredFromTheFaultToTheFirstLaterSuccessAndToTheLastFailure() {
        List<RequestResult> results = List.of(
                ok("before", 0, 1, 4, 4, 4),
                failed("refused", Outcome.EXPLICIT_ERROR, "connect_refused", 10.5, 10.6),
                failed("refused2", Outcome.EXPLICIT_ERROR, "connect_refused", 14, 14.2),
                ok("inflight", 9, 11, 4, 4, 4),        // sent before the fault: does not count as recovery
                ok("slipped", 10.1, 10.4, 4, 4, 4),    // sent after the fault, before its first failure: neither
                ok("back", 15, 16, 4, 4, 4),
                ok("steady", 17, 18, 4, 4, 4));

        LoadVerdict v = LoadVerdict.of("f", "l", results, 10 * S);

        assertThat(v.lost()).isEmpty();
        assertThat(v.explicitErrors()).hasSize(2);
        assertThat(v.errorKinds()).containsEntry("connect_refused", 2L);
        assertThat(v.firstSuccessS().getAsDouble()).isCloseTo(6.0, within(1e-9));
        assertThat(v.errorsClearedS()).isCloseTo(4.2, within(1e-9));
        assertThat(v.successesAfterErrors()).isEqualTo(2);
        assertThat(v.markdownRow()).isEqualTo("| f | l | 7 | 0 | 2 (connect_refused 2) | 0 | 6.0 s | 4.2 s |");
    }

    @Test
    void lostRequestsAndWrongTokenCountsAreCaught() {
        List<RequestResult> results = List.of(
                failed("cut", Outcome.LOST, "truncated", 1, 2),
                ok("duplicated", 1, 2, 5, 4, 4),     // a chunk more than usage says
                ok("short", 1, 2, 3, 3, 4),          // [DONE] but fewer tokens than max_tokens
                ok("fine", 1, 2, 4, 4, 4));

        LoadVerdict v = LoadVerdict.of("f", "l", results, 0);

        assertThat(v.lost()).extracting(RequestResult::id).containsExactly("cut");
        assertThat(v.lostKinds()).containsEntry("truncated", 1L);
        assertThat(v.tokenErrors()).extracting(RequestResult::id).containsExactly("duplicated", "short");
        assertThat(v.firstSuccessS()).as("no success was sent after the first failure ended").isEmpty();
        assertThat(v.successesAfterErrors()).isZero();
    }

    @Test
    void withoutFailuresAfterTheFaultErrorsClearAtOnce() {
        LoadVerdict v = LoadVerdict.of("f", "l", List.of(ok("a", 5, 6, 4, 4, 4)), 2 * S);

        assertThat(v.errorsClearedS()).isZero();
        assertThat(v.successesAfterErrors()).isEqualTo(1);
    }
}
