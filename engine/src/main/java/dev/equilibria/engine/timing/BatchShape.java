package dev.equilibria.engine.timing;

/**
 * What one engine step computes.
 *
 * @param prefillTokens  prompt tokens computed this step (uncached ones only; cached prefixes cost nothing)
 * @param prefillSeqs    sequences with a prefill chunk in the step
 * @param decodeSeqs     sequences generating one token each
 * @param decodeKvTokens tokens of KV the decoding sequences attend over, summed
 */
public record BatchShape(int prefillTokens, int prefillSeqs, int decodeSeqs, long decodeKvTokens) {

    public boolean isEmpty() {
        return prefillTokens == 0 && decodeSeqs == 0;
    }
}
