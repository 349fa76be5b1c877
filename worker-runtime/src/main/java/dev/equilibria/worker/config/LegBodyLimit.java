package dev.equilibria.worker.config;

/**
 * How large a leg's request body may be held in memory. A prefill or decode request carries the whole prompt as token
 * ids (and a decode request the tokens generated so far), so the limit must hold the longest context the engine
 * accepts: WebFlux's default of 256 KB refused prompts past about 40,000 tokens with a 413, while the gateway accepts
 * 131,072.
 */
final class LegBodyLimit {

    /** A token id in JSON: at most 7 digits (vocabularies stay under 10 M) and a comma. */
    static final int BYTES_PER_TOKEN = 8;
    /** Everything else in a request: its id, the prompt's block hashes, field names. */
    static final int HEADROOM_BYTES = 1 << 20;

    private LegBodyLimit() {
    }

    static int bytes(int maxModelLen) {
        if (maxModelLen <= 0) {
            throw new IllegalArgumentException("max_model_len must be positive, got " + maxModelLen);
        }
        return Math.addExact(Math.multiplyExact(maxModelLen, BYTES_PER_TOKEN), HEADROOM_BYTES);
    }
}
