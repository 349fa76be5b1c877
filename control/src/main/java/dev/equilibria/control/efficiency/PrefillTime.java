package dev.equilibria.control.efficiency;

/** How long a worker takes to prefill some prompt tokens when nothing else runs. */
@FunctionalInterface
public interface PrefillTime {

    /**
     * @param newTokens    tokens to compute
     * @param cachedTokens tokens already in the KV cache in front of them (attended over, not computed)
     * @return milliseconds; 0 for no new tokens
     */
    double millis(long newTokens, long cachedTokens);
}
