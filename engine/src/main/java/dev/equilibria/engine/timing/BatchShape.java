package dev.equilibria.engine.timing;

/**
 * What one engine step computes.
 *
 * @param prefillTokens        prompt tokens computed this step (uncached ones only; cached prefixes cost nothing)
 * @param prefillSeqs          sequences with a prefill chunk in the step
 * @param decodeSeqs           sequences generating one token each
 * @param decodeKvTokens       tokens of KV the decoding sequences attend over, summed
 * @param prefillContextPairs  query-token x context-token pairs of the prefill chunks' attention: for a chunk of
 *                             {@code c} tokens after {@code p} computed ones, {@code c * (p + c / 2)}
 */
public record BatchShape(int prefillTokens, int prefillSeqs, int decodeSeqs, long decodeKvTokens,
                         double prefillContextPairs) {

    public BatchShape(int prefillTokens, int prefillSeqs, int decodeSeqs, long decodeKvTokens) {
        this(prefillTokens, prefillSeqs, decodeSeqs, decodeKvTokens, prefillTokens * (prefillTokens / 2.0));
    }

    public boolean isEmpty() {
        return prefillTokens == 0 && decodeSeqs == 0;
    }
}
