package dev.equilibria.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.gateway.error.ApiErrors;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.routing.config.RouterConfigLayers;
import dev.equilibria.routing.orchestration.RouteRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Continuations, token accounting across migrations, the migration bound, and which failures migrate. */
class StreamMigrationTest {

    private static final int[] PROMPT = {100, 101, 102};
    private static final int[] STOPS = {7};

    private final List<Continuation> continuations = new ArrayList<>();
    private final List<Integer> exhausted = new ArrayList<>();
    private final StreamMigration.Listener listener = new StreamMigration.Listener() {
        @Override
        public void migrated(Continuation continuation, Throwable cause) {
            continuations.add(continuation);
        }

        @Override
        public void exhausted(GenerationRequest original, int migrations, Throwable cause) {
            exhausted.add(migrations);
        }
    };

    @Test
    void aContinuationAppendsTheSentTokensToThePromptAndKeepsWhatIsLeftOfTheBudget() {
        Continuation next = Continuation.of(request(10), new int[] {50, 51, 52, 53}, 1);

        assertThat(next.request().promptTokenIds()).containsExactly(100, 101, 102, 50, 51, 52, 53);
        assertThat(next.request().maxTokens()).isEqualTo(6);
        assertThat(next.request().stopTokenIds()).containsExactly(7);
        assertThat(next.request().requestId()).isEqualTo("cmpl-1-m1");
        assertThat(next.request().route().requestId()).isEqualTo("cmpl-1-m1");
        assertThat(next.request().model()).isEqualTo("m");
        assertThat(next.offset()).isEqualTo(4);
        assertThat(next.toOriginal(new GeneratedToken("cmpl-1-m1", 0, 60, null)))
                .isEqualTo(new GeneratedToken("cmpl-1", 4, 60, null));
        assertThat(next.toOriginal(new GeneratedToken("cmpl-1-m1", 5, 61, "length")))
                .isEqualTo(new GeneratedToken("cmpl-1", 9, 61, "length"));
        assertThatThrownBy(() -> Continuation.of(request(4), new int[] {1, 2, 3, 4}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamWhoseWorkerDiesContinuesWithEveryPositionOnceAndTheRightTokens() {
        GenerationRequest original = request(10);
        Flux<GeneratedToken> first = stream("cmpl-1", 0, 3, 10).concatWith(Flux.error(died("d0")));

        List<GeneratedToken> out = StreamMigration.migrating(original, first, 2, c -> {
            // the new worker's own stream: positions from 0, its budget what is left
            int budget = c.request().maxTokens();
            return stream(c.request().requestId(), 0, budget, budget).map(t -> new GeneratedToken(t.requestId(),
                    t.index(), 1000 + c.offset() + t.index(), t.finishReason()));
        }, listener).collectList().block();

        assertThat(out).extracting(GeneratedToken::index).containsExactlyElementsOf(
                IntStream.range(0, 10).boxed().toList());
        assertThat(out).extracting(GeneratedToken::requestId).containsOnly("cmpl-1");
        assertThat(out.subList(0, 3)).extracting(GeneratedToken::tokenId).containsExactly(10, 11, 12);
        assertThat(out.subList(3, 10)).extracting(GeneratedToken::tokenId)
                .containsExactlyElementsOf(IntStream.range(1003, 1010).boxed().toList());
        assertThat(out.get(9).finishReason()).isEqualTo("length");
        assertThat(out.subList(0, 9)).allSatisfy(t -> assertThat(t.finishReason()).isNull());
        assertThat(continuations).singleElement().satisfies(c -> {
            assertThat(c.sent()).containsExactly(10, 11, 12);
            assertThat(c.request().maxTokens()).isEqualTo(7);
        });
    }

    @Test
    void aSecondDeathDuringTheFirstRecoveryMigratesAgainFromEverythingSentSoFar() {
        Flux<GeneratedToken> first = stream("cmpl-1", 0, 2, 6).concatWith(Flux.error(died("d0")));

        List<GeneratedToken> out = StreamMigration.migrating(request(6), first, 2, c -> c.migration() == 1
                // the first replacement sends two tokens and dies too
                ? stream("x", 0, 2, c.request().maxTokens()).concatWith(Flux.error(died("d1")))
                : stream("y", 0, c.request().maxTokens(), c.request().maxTokens()), listener).collectList().block();

        assertThat(out).extracting(GeneratedToken::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(continuations).extracting(Continuation::offset).containsExactly(2, 4);
        assertThat(continuations.get(1).request().promptTokenIds()).hasSize(PROMPT.length + 4);
        assertThat(continuations.get(1).request().requestId()).isEqualTo("cmpl-1-m2");
    }

    @Test
    void pastTheMigrationBoundTheStreamEndsWithAnExplicitError() {
        Flux<GeneratedToken> first = stream("cmpl-1", 0, 1, 6).concatWith(Flux.error(died("d0")));
        List<GeneratedToken> seen = new ArrayList<>();

        assertThatThrownBy(() -> StreamMigration.migrating(request(6), first, 2,
                        c -> stream("x", 0, 1, c.request().maxTokens()).concatWith(Flux.error(died("dx"))), listener)
                .doOnNext(seen::add).blockLast())
                .isInstanceOf(MigrationsExhaustedException.class)
                .hasMessageContaining("cmpl-1").hasMessageContaining("2 time(s)");
        assertThat(seen).extracting(GeneratedToken::index).containsExactly(0, 1, 2);
        assertThat(continuations).hasSize(2);
        assertThat(exhausted).containsExactly(2);
        ApiException api = ApiErrors.from(new MigrationsExhaustedException("cmpl-1", 2, 3, died("dx")));
        assertThat(api.code()).isEqualTo("worker_lost");
        assertThat(api.status().value()).isEqualTo(503);
    }

    @Test
    void withNoMigrationsAllowedTheFirstDeathIsTheError() {
        Flux<GeneratedToken> first = stream("cmpl-1", 0, 1, 6).concatWith(Flux.error(died("d0")));

        assertThatThrownBy(() -> StreamMigration.migrating(request(6), first, 0, c -> Flux.empty(), listener)
                .blockLast()).isInstanceOf(MigrationsExhaustedException.class);
        assertThat(continuations).isEmpty();
    }

    @Test
    void onlyWorkerDeathsMigrate() {
        WorkerCallException contractBreak = WorkerCallException.badResponse(WorkerRole.DECODE, "d0", "bad index");
        WorkerCallException refusal = WorkerCallException.rejected(WorkerRole.DECODE, "d0", 409, "draining");
        WorkerCallException badRequest = WorkerCallException.rejected(WorkerRole.DECODE, "d0", 400, "no");
        WorkerCallException crashed = WorkerCallException.rejected(WorkerRole.DECODE, "d0", 500, "engine crashed");
        for (Throwable error : new Throwable[] {contractBreak, refusal, badRequest}) {
            Flux<GeneratedToken> first = stream("cmpl-1", 0, 1, 6).concatWith(Flux.error(error));
            assertThatThrownBy(() -> StreamMigration.migrating(request(6), first, 2, c -> Flux.empty(), listener)
                    .blockLast()).isSameAs(error);
        }
        assertThat(continuations).isEmpty();
        assertThat(WorkerFaults.death(crashed)).isTrue();
        assertThat(WorkerFaults.death(WorkerCallException.timedOut(WorkerRole.DECODE, "d0",
                java.time.Duration.ofSeconds(1)))).isTrue();
        assertThat(WorkerFaults.breakerFailure(contractBreak)).isTrue();
        assertThat(WorkerFaults.breakerFailure(refusal)).isFalse();
        assertThat(WorkerFaults.breakerFailure(badRequest)).isFalse();
        assertThat(WorkerFaults.retryable(refusal)).isTrue();
        assertThat(WorkerFaults.retryable(contractBreak)).isFalse();
    }

    static GenerationRequest request(int maxTokens) {
        return new GenerationRequest("cmpl-1", "m", PROMPT, maxTokens, STOPS, RouterConfigLayers.resolve(List.of()),
                new RouteRequest("cmpl-1", "m", PROMPT, maxTokens));
    }

    /** Tokens {@code from} to {@code to - 1} of a stream with {@code total} positions; token id 10 + position. */
    static Flux<GeneratedToken> stream(String requestId, int from, int to, int total) {
        return Flux.range(from, to - from).map(i -> new GeneratedToken(requestId, i, 10 + i,
                i == total - 1 ? "length" : null));
    }

    static WorkerCallException died(String workerId) {
        return WorkerCallException.unreachable(WorkerRole.DECODE, workerId, new IOException("Connection reset"));
    }
}
