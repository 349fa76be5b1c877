package dev.equilibria.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.protocol.worker.GeneratedToken;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class DecodeStreamCheckTest {

    @Test
    void passesAStreamThatKeepsTheContract() {
        List<GeneratedToken> tokens = check(Flux.just(token(1, null), token(2, null), token(3, "length")), 4);

        assertThat(tokens).extracting(GeneratedToken::index).containsExactly(1, 2, 3);
    }

    @Test
    void endsAtTheFinishTokenEvenIfTheWorkerSendsMore() {
        List<GeneratedToken> tokens = check(Flux.just(token(1, "stop"), token(2, null)), 4);

        assertThat(tokens).extracting(GeneratedToken::finishReason).containsExactly("stop");
    }

    @Test
    void failsAStreamThatEndsWithoutAFinishReason() {
        assertThatThrownBy(() -> check(Flux.just(token(1, null)), 4))
                .isInstanceOf(WorkerCallException.class).hasMessageContaining("without a finish_reason");
    }

    @Test
    void failsOnAGapInTheIndexes() {
        assertThatThrownBy(() -> check(Flux.just(token(1, null), token(3, "length")), 4))
                .isInstanceOf(WorkerCallException.class).hasMessageContaining("expected 2");
    }

    @Test
    void failsOnATokenPastMaxTokens() {
        assertThatThrownBy(() -> check(Flux.just(token(1, null), token(2, null)), 2))
                .isInstanceOf(WorkerCallException.class).hasMessageContaining("past max_tokens");
    }

    private static List<GeneratedToken> check(Flux<GeneratedToken> stream, int maxTokens) {
        return DecodeStreamCheck.checked(stream, "d-0", 1, maxTokens).collectList().block();
    }

    private static GeneratedToken token(int index, String finish) {
        return new GeneratedToken("r", index, 100 + index, finish);
    }
}
