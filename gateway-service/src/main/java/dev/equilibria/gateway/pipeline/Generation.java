package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.routing.registry.LiveWorker;
import reactor.core.publisher.Flux;

/**
 * A request whose prefill is done: where it ran and the output to come.
 *
 * @param decodeWorker null when the first token from prefill is the whole output
 * @param tokens       every generated token from index 0, the last one carrying the finish reason; cold, and
 *                     meant to be subscribed once (subscribing starts the decode leg)
 */
public record Generation(String requestId, LiveWorker prefillWorker, LiveWorker decodeWorker,
                         Flux<GeneratedToken> tokens) {
}
