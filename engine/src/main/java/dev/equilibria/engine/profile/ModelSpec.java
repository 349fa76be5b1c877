package dev.equilibria.engine.profile;

/**
 * The shape of a transformer, enough to derive its FLOPs, its weight bytes and its KV cache size.
 *
 * @param parameters      total parameters
 * @param layers          transformer layers
 * @param hiddenSize      model width
 * @param kvHeads         key/value heads (grouped-query attention)
 * @param headDim         dimension of one attention head
 * @param weightBytes     bytes per weight (1 for FP8, 2 for BF16)
 * @param kvBytes         bytes per KV cache element
 * @param maxModelLen     longest supported context
 */
public record ModelSpec(String name, double parameters, int layers, int hiddenSize, int kvHeads, int headDim,
                        double weightBytes, double kvBytes, int maxModelLen) {

    /** Meta Llama-3.1-70B, FP8 weights and KV (model card: 80 layers, d=8192, 8 KV heads of 128, 128k context). */
    public static final ModelSpec LLAMA_31_70B_FP8 =
            new ModelSpec("llama-3.1-70b", 70.6e9, 80, 8192, 8, 128, 1, 1, 131_072);
    /** NVIDIA Nemotron-4-340B, FP8 (tech report: 96 layers, d=18432, 8 KV heads of 192, 4k context). */
    public static final ModelSpec NEMOTRON_4_340B_FP8 =
            new ModelSpec("nemotron-4-340b", 341e9, 96, 18432, 8, 192, 1, 1, 4_096);
    /** Meta Llama-3.1-8B, BF16 (model card: 32 layers, d=4096, 8 KV heads of 128, 128k context). */
    public static final ModelSpec LLAMA_31_8B_BF16 =
            new ModelSpec("llama-3.1-8b", 8.03e9, 32, 4096, 8, 128, 2, 2, 131_072);

    /** K and V for every layer: 2 * layers * kv_heads * head_dim * kv_bytes. */
    public long kvBytesPerToken() {
        return Math.round(2.0 * layers * kvHeads * headDim * kvBytes);
    }

    public double weightBytesTotal() {
        return parameters * weightBytes;
    }

    /** Dense matmul FLOPs per token: two per parameter (multiply and add). */
    public double flopsPerToken() {
        return 2 * parameters;
    }

    /**
     * Attention score and value FLOPs for one query token attending over {@code context} tokens:
     * 2 (QK^T and AV) * 2 (multiply-add) * layers * hidden * context.
     */
    public double attentionFlops(double queryTokenContextPairs) {
        return 4.0 * layers * hiddenSize * queryTokenContextPairs;
    }
}
