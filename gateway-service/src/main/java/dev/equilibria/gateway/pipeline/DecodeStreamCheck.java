package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.worker.GeneratedToken;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds a decode stream to the worker API's promise: indexes run on from the tokens already generated, the last
 * token carries a finish reason, and nothing goes past {@code max_tokens}. A stream that breaks it fails with
 * {@link WorkerCallException}, so a client never gets a silently truncated answer.
 */
final class DecodeStreamCheck {

    private DecodeStreamCheck() {
    }

    static Flux<GeneratedToken> checked(Flux<GeneratedToken> stream, String workerId, int firstIndex,
                                        int maxTokens) {
        return Flux.defer(() -> {
            int[] expected = {firstIndex};
            boolean[] finished = {false};
            return stream
                    // the finish token ends the stream for us even if the worker is slow to close it
                    .takeUntil(token -> token.finishReason() != null)
                    .<GeneratedToken>handle((token, sink) -> {
                        if (token.index() != expected[0]) {
                            sink.error(WorkerCallException.badResponse(WorkerRole.DECODE, workerId,
                                    "token index " + token.index() + ", expected " + expected[0]));
                        } else if (token.index() >= maxTokens) {
                            sink.error(WorkerCallException.badResponse(WorkerRole.DECODE, workerId,
                                    "token index " + token.index() + " is past max_tokens " + maxTokens));
                        } else {
                            expected[0]++;
                            finished[0] = token.finishReason() != null;
                            sink.next(token);
                        }
                    })
                    .concatWith(Mono.defer(() -> finished[0] ? Mono.empty()
                            : Mono.error(WorkerCallException.badResponse(WorkerRole.DECODE, workerId,
                            "stream ended after token " + (expected[0] - 1) + " without a finish_reason"))));
        });
    }
}
