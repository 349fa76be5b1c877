package dev.equilibria.gateway.pipeline;

import dev.equilibria.protocol.worker.GeneratedToken;
import reactor.core.publisher.Flux;

/**
 * A request whose first leg is under way: where it runs and the output to come.
 *
 * @param prefillWorker id of the worker that prefilled the prompt
 * @param decodeWorker  id of the worker that decodes, or null when the first token is the whole output (it may
 *                      also be chosen only once the stream is subscribed, in prefill-first order)
 * @param cachedTokens  prompt tokens the prefilling worker found in its cache (its own report, or the router's
 *                      estimate when it reports none)
 * @param tokens        every generated token from index 0, the last one carrying the finish reason; cold, and
 *                      meant to be subscribed once (subscribing starts the decode leg)
 */
public record Generation(String requestId, String prefillWorker, String decodeWorker, int cachedTokens,
                         Flux<GeneratedToken> tokens) {
}
