package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.error.ErrorCodes;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.registry.WorkerRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompletionPreparerTest {

    private static final int MAX_MODEL_LEN = 100;
    private static final Tokenizer TOKENIZER = new Tokenizer("cl100k_base");

    private final WorkerRegistry registry = new WorkerRegistry(() -> Instant.EPOCH);
    private final CompletionPreparer preparer = new CompletionPreparer(TOKENIZER, registry, new BlockHasher(4));

    @Test
    void tokenizesTextAndHashesFullBlocks() {
        announce("m");
        GenerationRequest prepared = preparer.prepare(request("m", new Prompt.Text("one two three four five"), 5),
                "cmpl-1");

        assertThat(prepared.promptTokenIds()).isEqualTo(TOKENIZER.encode("one two three four five"));
        assertThat(prepared.blockHashes()).hasSize(prepared.promptTokenIds().length / 4);
        assertThat(prepared.maxTokens()).isEqualTo(5);
        assertThat(prepared.requestId()).isEqualTo("cmpl-1");
    }

    @Test
    void acceptsPromptPlusMaxTokensUpToTheModelLength() {
        announce("m");
        assertThat(preparer.prepare(request("m", ids(60), 40), "r").maxTokens()).isEqualTo(40);
    }

    @Test
    void refusesMaxTokensPastTheModelLength() {
        announce("m");
        ApiException error = refused(request("m", ids(60), 41));

        assertThat(error.param()).isEqualTo("max_tokens");
        assertThat(error.code()).isEqualTo(ErrorCodes.CONTEXT_LENGTH_EXCEEDED);
        assertThat(error.getMessage()).contains("100").contains("at most 40");
    }

    @Test
    void refusesAPromptThatLeavesNoRoom() {
        announce("m");
        ApiException error = refused(request("m", ids(100), 1));

        assertThat(error.param()).isEqualTo("prompt");
        assertThat(error.code()).isEqualTo(ErrorCodes.CONTEXT_LENGTH_EXCEEDED);
    }

    @Test
    void refusesAnUnknownModelListingTheServedOnes() {
        announce("m");
        ApiException error = refused(request("other", ids(3), 1));

        assertThat(error.status().value()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("model");
        assertThat(error.code()).isEqualTo(ErrorCodes.MODEL_NOT_FOUND);
        assertThat(error.getMessage()).contains("'other'").contains("m");
    }

    @Test
    void answers503WhenNoWorkerIsLiveAtAll() {
        ApiException error = refused(request("m", ids(3), 1));

        assertThat(error.status().value()).isEqualTo(503);
        assertThat(error.code()).isEqualTo(ErrorCodes.NO_WORKERS);
    }

    @Test
    void refusesAnEmptyTextPrompt() {
        announce("m");
        ApiException error = refused(request("m", new Prompt.Text(""), 1));

        assertThat(error.param()).isEqualTo("prompt");
    }

    private ApiException refused(CompletionRequest request) {
        return catchThrowableOfType(ApiException.class, () -> preparer.prepare(request, "r"));
    }

    private void announce(String model) {
        registry.onHeartbeat(new WorkerHeartbeat("w-" + model, WorkerRole.AGGREGATED, "http://127.0.0.1:1", model,
                new WorkerCapacity(8, 1024, 100, 16, MAX_MODEL_LEN), false, 0));
    }

    private static CompletionRequest request(String model, Prompt prompt, int maxTokens) {
        return new CompletionRequest(model, prompt, maxTokens, false, false);
    }

    private static Prompt ids(int count) {
        return new Prompt.TokenIds(java.util.stream.IntStream.range(0, count).toArray());
    }
}
