package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.TestGatewayMetrics;
import dev.equilibria.gateway.metrics.RequestTracker;
import dev.equilibria.gateway.pipeline.Generation;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.routing.config.RouterConfigLayers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Output framing and stop handling, against the OpenAI schemas the official clients parse. */
class CompletionRendererTest {

    private static final Tokenizer TOKENIZER = new Tokenizer("cl100k_base");
    private static final int[] WORDS = TOKENIZER.encode("One two. Three four. Five");

    private final CompletionRenderer renderer = new CompletionRenderer(TOKENIZER);
    private final GatewayMetrics metrics = TestGatewayMetrics.create(new SimpleMeterRegistry());

    @Test
    void aChatAnswerIsAChatCompletionObject() {
        JsonNode body = json(renderer.response(generation(tokens(WORDS.length, "length"), null), request(),
                client(List.of(), false), OutputFormat.CHAT, 1700000000L, tracker()).block());

        assertThat(body.path("object").stringValue()).isEqualTo("chat.completion");
        assertThat(body.path("id").stringValue()).isEqualTo("chatcmpl-1");
        assertThat(body.path("created").longValue()).isEqualTo(1700000000L);
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("index").intValue()).isZero();
        assertThat(choice.path("message").path("role").stringValue()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").stringValue()).isEqualTo("One two. Three four. Five");
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("length");
        assertThat(choice.has("logprobs")).isTrue();
        assertThat(body.path("usage").path("prompt_tokens").intValue()).isEqualTo(3);
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(WORDS.length);
        assertThat(body.path("usage").path("total_tokens").intValue()).isEqualTo(3 + WORDS.length);
    }

    @Test
    void aChatStreamSendsTheRoleThenContentThenTheFinishThenUsage() {
        List<JsonNode> chunks = chunks(renderer.chunks(generation(tokens(3, "length"), null), request(),
                client(List.of(), true), OutputFormat.CHAT, 1L, tracker()));

        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").stringValue()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").stringValue()).isEqualTo("chatcmpl-1");
            assertThat(c.has("usage")).isTrue();
        });
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").stringValue())
                .isEqualTo("assistant");
        assertThat(chunks.get(1).path("choices").get(0).path("delta").has("role")).isFalse();
        assertThat(chunks.get(1).path("choices").get(0).path("delta").path("content").stringValue()).isEqualTo("One");
        JsonNode finish = chunks.get(chunks.size() - 2).path("choices").get(0);
        assertThat(finish.path("delta").isEmpty()).isTrue();
        assertThat(finish.path("finish_reason").stringValue()).isEqualTo("length");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.path("choices").isEmpty()).isTrue();
        assertThat(usage.path("usage").path("completion_tokens").intValue()).isEqualTo(3);
    }

    @Test
    void aStopStringEndsTheOutputBeforeItAndCancelsGeneration() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<GeneratedToken> endless = Flux.range(0, 1000).map(i -> new GeneratedToken("r", i,
                WORDS[i % WORDS.length], null)).doOnCancel(() -> cancelled.set(true));

        JsonNode body = json(renderer.response(generation(endless, null), request(),
                client(List.of(". Three"), false), OutputFormat.COMPLETION, 1L, tracker()).block());

        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("text").stringValue()).isEqualTo("One two");
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("stop");
        assertThat(cancelled).isTrue();
        assertThat(body.path("object").stringValue()).isEqualTo("text_completion");
    }

    @Test
    void aStreamNeverShowsPartOfAStopString() {
        List<JsonNode> chunks = chunks(renderer.chunks(generation(tokens(WORDS.length, "length"), null), request(),
                client(List.of("Four", " four."), false), OutputFormat.COMPLETION, 1L, tracker()));

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.path("choices").get(0).path("text").stringValue()));
        assertThat(text.toString()).isEqualTo("One two. Three");
        assertThat(chunks.get(chunks.size() - 1).path("choices").get(0).path("finish_reason").stringValue())
                .isEqualTo("stop");
    }

    @Test
    void aStopTokensTextIsLeftOut() {
        int stopToken = WORDS[2];
        GenerationRequest request = new GenerationRequest("cmpl-1", "m", new int[] {1, 2, 3}, 10,
                new int[] {stopToken}, RouterConfigLayers.resolve(List.of()), null);
        Flux<GeneratedToken> tokens = Flux.just(new GeneratedToken("r", 0, WORDS[0], null),
                new GeneratedToken("r", 1, WORDS[1], null), new GeneratedToken("r", 2, stopToken, "stop"));

        JsonNode body = json(renderer.response(generation(tokens, null), request, client(List.of(), false),
                OutputFormat.COMPLETION, 1L, tracker()).block());

        assertThat(body.path("choices").get(0).path("text").stringValue()).isEqualTo("One two");
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(3);
    }

    private RequestTracker tracker() {
        return metrics.startRequest();
    }

    private static Flux<GeneratedToken> tokens(int n, String finish) {
        List<GeneratedToken> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(new GeneratedToken("r", i, WORDS[i % WORDS.length], i == n - 1 ? finish : null));
        }
        return Flux.fromIterable(tokens);
    }

    private static Generation generation(Flux<GeneratedToken> tokens, String decodeWorker) {
        return new Generation("chatcmpl-1", "p0", decodeWorker, 0, tokens);
    }

    private static GenerationRequest request() {
        return new GenerationRequest("chatcmpl-1", "m", new int[] {1, 2, 3}, 100, new int[0],
                RouterConfigLayers.resolve(List.of()), null);
    }

    private static CompletionRequest client(List<String> stop, boolean includeUsage) {
        return new CompletionRequest("m", new Prompt.Text("x"), 100, true, includeUsage, stop, new int[0], null);
    }

    private static JsonNode json(Object value) {
        return EventCodec.mapper().readTree(EventCodec.encode(value));
    }

    private static List<JsonNode> chunks(Flux<String> payloads) {
        List<String> all = payloads.collectList().block();
        assertThat(all.get(all.size() - 1)).isEqualTo("[DONE]");
        return all.subList(0, all.size() - 1).stream().map(p -> EventCodec.mapper().readTree(p)).toList();
    }
}
