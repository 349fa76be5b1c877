package dev.equilibria.engine.timing;

/**
 * Step time as polynomials, the form of Dynamo's mocker: prefill time is quadratic in the step's new prompt tokens
 * (attention grows with length), decode time grows with batch size and with the KV the batch reads (its KV
 * occupancy). A mixed step pays both parts.
 *
 * <pre>
 * prefill_ms = prefill_base_ms + prefill_ms_per_token * n + prefill_ms_per_token2 * n^2
 * decode_ms  = decode_base_ms + decode_ms_per_seq * b + decode_ms_per_kv_token * kv
 * </pre>
 */
public record PolynomialTimingModel(double prefillBaseMs, double prefillMsPerToken, double prefillMsPerToken2,
                                    double decodeBaseMs, double decodeMsPerSeq, double decodeMsPerKvToken)
        implements TimingModel {

    /**
     * Coefficients fitted to the roofline of Llama-3.1-70B FP8 on 4 B200 (see the engine README): about 60k prompt
     * tokens/s and a 5-6 ms decode step at small batch.
     */
    public static final PolynomialTimingModel DEFAULT = new PolynomialTimingModel(3.5, 0.0157, 1.5e-7, 5.2, 0.004, 7.3e-6);

    public PolynomialTimingModel {
        if (prefillBaseMs < 0 || prefillMsPerToken < 0 || prefillMsPerToken2 < 0 || decodeBaseMs < 0
                || decodeMsPerSeq < 0 || decodeMsPerKvToken < 0) {
            throw new IllegalArgumentException("timing coefficients must not be negative");
        }
    }

    public double prefillMillis(int tokens) {
        return tokens == 0 ? 0 : prefillBaseMs + prefillMsPerToken * tokens + prefillMsPerToken2 * tokens * (double) tokens;
    }

    public double decodeMillis(int seqs, long kvTokens) {
        return seqs == 0 ? 0 : decodeBaseMs + decodeMsPerSeq * seqs + decodeMsPerKvToken * kvTokens;
    }

    @Override
    public long stepNanos(BatchShape batch) {
        double ms = prefillMillis(batch.prefillTokens()) + decodeMillis(batch.decodeSeqs(), batch.decodeKvTokens());
        return Math.round(ms * 1_000_000);
    }
}
