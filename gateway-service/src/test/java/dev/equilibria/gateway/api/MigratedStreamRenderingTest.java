package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.gateway.metrics.GatewayMetrics;
import dev.equilibria.gateway.metrics.TestGatewayMetrics;
import dev.equilibria.gateway.pipeline.Continuation;
import dev.equilibria.gateway.pipeline.Generation;
import dev.equilibria.gateway.pipeline.GenerationRequest;
import dev.equilibria.gateway.pipeline.StreamMigration;
import dev.equilibria.gateway.pipeline.WorkerCallException;
import dev.equilibria.gateway.tokenize.Tokenizer;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.routing.config.RouterConfigLayers;
import dev.equilibria.routing.orchestration.RouteRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * A stream that migrated mid-way renders as one answer: the detokenizer's held bytes, a stop string that spans the
 * splice, and the usage all carry over, because the renderer consumes one continuous token stream.
 */
class MigratedStreamRenderingTest {

    private static final Tokenizer TOKENIZER = new Tokenizer("cl100k_base");
    private static final int[] WORDS = TOKENIZER.encode("One two. Three four. Five 🦜 six");

    private final CompletionRenderer renderer = new CompletionRenderer(TOKENIZER);
    private final GatewayMetrics metrics = TestGatewayMetrics.create(new SimpleMeterRegistry());

    @Test
    void aStopStringSpanningTheSpliceEndsTheOutputAndCountsEveryGeneratedToken() {
        int splice = 3; // "One", " two", "." from the first worker; " Three" ... from the next
        JsonNode body = render(WORDS.length, splice, List.of(". Three"));

        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("text").stringValue()).isEqualTo("One two");
        assertThat(choice.path("finish_reason").stringValue()).isEqualTo("stop");
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(4);
        assertThat(body.path("usage").path("prompt_tokens").intValue()).isEqualTo(3);
    }

    @Test
    void aCharacterSplitAcrossTheSpliceIsDecodedWhole() {
        int splitAfter = -1; // the first token that ends inside a character: the emoji spans two tokens
        var probe = TOKENIZER.detokenizer();
        for (int i = 0; i < WORDS.length && splitAfter < 0; i++) {
            if (probe.next(WORDS[i]).isEmpty()) {
                splitAfter = i;
            }
        }
        assertThat(splitAfter).as("the emoji takes more than one token").isPositive();
        JsonNode body = render(WORDS.length, splitAfter + 1, List.of());

        assertThat(body.path("choices").get(0).path("text").stringValue())
                .isEqualTo("One two. Three four. Five 🦜 six");
        assertThat(body.path("usage").path("completion_tokens").intValue()).isEqualTo(WORDS.length);
    }

    /** The first worker sends {@code splice} tokens and dies; the continuation sends the rest. */
    private JsonNode render(int maxTokens, int splice, List<String> stops) {
        int[] prompt = {1, 2, 3};
        GenerationRequest request = new GenerationRequest("cmpl-1", "m", prompt, maxTokens, new int[0],
                RouterConfigLayers.resolve(List.of()), new RouteRequest("cmpl-1", "m", prompt, maxTokens));
        Flux<GeneratedToken> first = Flux.range(0, splice).map(i -> token("cmpl-1", i, i, maxTokens))
                .concatWith(Flux.error(WorkerCallException.unreachable(WorkerRole.DECODE, "d0",
                        new IOException("Connection prematurely closed DURING response"))));
        Flux<GeneratedToken> tokens = StreamMigration.migrating(request, first, 1,
                (Continuation c) -> Flux.range(0, c.request().maxTokens())
                        .map(i -> token(c.request().requestId(), i, c.offset() + i, maxTokens))
                        .map(t -> new GeneratedToken(t.requestId(), t.index(), t.tokenId(),
                                t.index() == c.request().maxTokens() - 1 ? "length" : null)),
                new StreamMigration.Listener() {
                    @Override
                    public void migrated(Continuation continuation, Throwable cause) {
                    }

                    @Override
                    public void exhausted(GenerationRequest original, int migrations, Throwable cause) {
                    }
                });
        CompletionRequest client = new CompletionRequest("m", new Prompt.Text("x"), maxTokens, false, false, stops,
                new int[0], null);
        Object answer = renderer.response(new Generation("cmpl-1", "p0", "d0", 0, tokens), request, client,
                OutputFormat.COMPLETION, 1L, metrics.startRequest()).block();
        return EventCodec.mapper().readTree(EventCodec.encode(answer));
    }

    private static GeneratedToken token(String id, int index, int position, int total) {
        return new GeneratedToken(id, index, WORDS[position], position == total - 1 ? "length" : null);
    }
}
