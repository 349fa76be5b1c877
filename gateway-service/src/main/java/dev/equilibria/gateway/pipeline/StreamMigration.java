package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.worker.GeneratedToken;
import java.util.Arrays;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Keeps a client's token stream going when the worker producing it dies: the tokens already passed on are
 * remembered, and on a worker death ({@link WorkerFaults#death}) the rest of the request runs as a
 * {@link Continuation} wherever the normal placement puts it, its tokens shifted onto the client's positions. The
 * client sees one stream: every position once, in order, and the finish reason at the end, so whatever consumes it
 * (detokenizer, stop strings, usage) carries on as if nothing happened. After {@code maxMigrations} migrations of
 * one request, the next death fails the stream with {@link MigrationsExhaustedException}, never a silently cut one.
 */
public final class StreamMigration {

    /** What happened, for metrics and logs. */
    public interface Listener {
        void migrated(Continuation continuation, Throwable cause);

        void exhausted(GenerationRequest original, int migrations, Throwable cause);
    }

    private final GenerationRequest original;
    private final int maxMigrations;
    private final Function<Continuation, Flux<GeneratedToken>> resume;
    private final Listener listener;
    private int[] sent = new int[16];
    private int count;

    private StreamMigration(GenerationRequest original, int maxMigrations,
                            Function<Continuation, Flux<GeneratedToken>> resume, Listener listener) {
        this.original = original;
        this.maxMigrations = maxMigrations;
        this.resume = resume;
        this.listener = listener;
    }

    /**
     * @param first  the request's stream on its first workers, positions from 0
     * @param resume runs a continuation from scratch (placement included) and streams its tokens from position 0
     */
    public static Flux<GeneratedToken> migrating(GenerationRequest original, Flux<GeneratedToken> first,
                                                 int maxMigrations,
                                                 Function<Continuation, Flux<GeneratedToken>> resume,
                                                 Listener listener) {
        return Flux.defer(() -> new StreamMigration(original, maxMigrations, resume, listener).run(first, 0));
    }

    private Flux<GeneratedToken> run(Flux<GeneratedToken> source, int migrations) {
        return source
                .doOnNext(this::record)
                .onErrorResume(WorkerFaults::death, error -> {
                    if (migrations >= maxMigrations || count >= original.maxTokens()) {
                        listener.exhausted(original, migrations, error);
                        return Flux.error(new MigrationsExhaustedException(original.requestId(), migrations, count,
                                error));
                    }
                    Continuation next = Continuation.of(original, Arrays.copyOf(sent, count), migrations + 1);
                    listener.migrated(next, error);
                    return run(resume.apply(next).map(next::toOriginal), migrations + 1);
                });
    }

    private void record(GeneratedToken token) {
        if (token.index() != count) {
            // the positions are checked per worker stream; this guards the splice itself
            throw new IllegalStateException("request " + original.requestId() + ": token at position "
                    + token.index() + " where " + count + " was expected");
        }
        if (count == sent.length) {
            sent = Arrays.copyOf(sent, sent.length * 2);
        }
        sent[count++] = token.tokenId();
    }
}
