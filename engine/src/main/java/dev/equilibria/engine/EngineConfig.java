package dev.equilibria.engine;

/**
 * Limits of one worker's engine, named as in vLLM.
 *
 * @param blockSize           tokens per KV block ({@code block_size})
 * @param numBlocks           KV blocks that fit in the GPU memory left after weights
 * @param maxNumSeqs          sequences in one batch ({@code max_num_seqs})
 * @param maxNumBatchedTokens tokens computed in one step ({@code max_num_batched_tokens}); prompts longer than
 *                            this are prefilled in chunks
 * @param maxModelLen         longest sequence, prompt plus output ({@code max_model_len})
 * @param kvBytesPerToken     KV cache bytes one token occupies, for the handoff transfer size
 */
public record EngineConfig(int blockSize, int numBlocks, int maxNumSeqs, int maxNumBatchedTokens, int maxModelLen,
                           long kvBytesPerToken) {

    public static final int DEFAULT_BLOCK_SIZE = 64;
    public static final int DEFAULT_NUM_BLOCKS = 16_384;
    public static final int DEFAULT_MAX_NUM_SEQS = 256;
    public static final int DEFAULT_MAX_NUM_BATCHED_TOKENS = 8_192;
    public static final int DEFAULT_MAX_MODEL_LEN = 131_072;
    /** Llama-3.1-70B in FP8: 80 layers x 8 KV heads x 128 dims x 2 (K and V) x 1 byte. */
    public static final long DEFAULT_KV_BYTES_PER_TOKEN = 163_840;

    public EngineConfig {
        require(blockSize > 0, "block_size must be positive");
        require(numBlocks > 0, "num_blocks must be positive");
        require(maxNumSeqs > 0, "max_num_seqs must be positive");
        require(maxNumBatchedTokens > 0, "max_num_batched_tokens must be positive");
        require(maxModelLen > 0, "max_model_len must be positive");
        require(kvBytesPerToken >= 0, "kv_bytes_per_token must not be negative");
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_BLOCK_SIZE, DEFAULT_NUM_BLOCKS, DEFAULT_MAX_NUM_SEQS,
                DEFAULT_MAX_NUM_BATCHED_TOKENS, DEFAULT_MAX_MODEL_LEN, DEFAULT_KV_BYTES_PER_TOKEN);
    }

    public EngineConfig withNumBlocks(int blocks) {
        return new EngineConfig(blockSize, blocks, maxNumSeqs, maxNumBatchedTokens, maxModelLen, kvBytesPerToken);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
