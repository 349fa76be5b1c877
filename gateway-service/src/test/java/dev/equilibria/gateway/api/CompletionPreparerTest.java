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
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompletionPreparerTest {

    private static final int MAX_MODEL_LEN = 100;
    private static final Tokenizer TOKENIZER = new Tokenizer("cl100k_base");

    private final WorkerRegistry registry = new WorkerRegistry(() -> Instant.EPOCH);
    private final RouterConfigStore config = new RouterConfigStore(RouterConfig.EMPTY);
    private final CompletionPreparer preparer = new CompletionPreparer(TOKENIZER, registry, config, new RoutingMetrics(new SimpleMeterRegistry(), new KvEventIndex(() -> Instant.EPOCH),
            new LoadLedger("gw", () -> Instant.EPOCH), config));

    @Test
    void tokenizesTextAndHashesFullBlocks() {
        announce("m");
        GenerationRequest prepared = preparer.prepare(request("m", new Prompt.Text("one two three four five"), 5),
                "cmpl-1");

        assertThat(prepared.promptTokenIds()).isEqualTo(TOKENIZER.encode("one two three four five"));
        assertThat(prepared.route().blockHashes(4)).isEqualTo(new BlockHasher(4).hash(prepared.promptTokenIds()));
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

    @Test
    void rendersAChatThroughTheTemplateBeforeTokenizing() {
        announce("m");
        List<ChatMessage> chat = List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"));

        GenerationRequest prepared = preparer.prepare(request("m", new Prompt.Chat(chat), 5), "r");

        assertThat(prepared.promptTokenIds()).isEqualTo(TOKENIZER.encode("<|begin_of_text|><|start_header_id|>system"
                + "<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"));
    }

    @Test
    void aChatWithoutMaxTokensMayFillTheContext() {
        announce("m");
        GenerationRequest prepared = preparer.prepare(request("m", ids(30), CompletionRequest.TO_CONTEXT_END), "r");

        assertThat(prepared.maxTokens()).isEqualTo(MAX_MODEL_LEN - 30);
    }

    @Test
    void resolvesTheRouterConfigWithTheBodyOverHeadersOverTheLiveConfig() {
        announce("m");
        config.replaceBase(RouterConfig.ofShared(PolicySettings.ofPolicy("least_loaded")));
        CompletionRequest body = new CompletionRequest("m", ids(3), 2, false, false, List.of(), new int[0],
                RouterConfig.ofShared(new PolicySettings(null, 4.0, null, null, null, null)));

        GenerationRequest prepared = preparer.prepare(body, "r", RouterConfig.ofShared(
                new PolicySettings("kv", 2.0, 0.5, null, null, null)));

        assertThat(prepared.config().prefill().policy()).isEqualTo("kv");
        assertThat(prepared.config().prefill().overlapScoreWeight()).isEqualTo(4.0);
        assertThat(prepared.config().decode().routerTemperature()).isEqualTo(0.5);
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
