package dev.equilibria.control.pool;

/**
 * Predicted decode pool state.
 *
 * @param itlSeconds               mean inter-token latency as a client measures it:
 *                                 {@code (e2e - ttft) / decode_tokens}, so handoff and admission wait are spread
 *                                 over the tokens the decode worker generates
 * @param stepSeconds              one decode step at the steady batch
 * @param handoffSeconds           KV transfer from the prefill worker
 * @param admissionWaitSeconds     mean wait for a free batch slot (Sakasegawa's M/G/c approximation)
 * @param admissionWaitProbability probability a sequence waits for a slot at all
 * @param concurrencyPerWorker     sequences decoding on one worker (Little's law fixed point)
 * @param batchCap                 sequences one worker can hold: {@code max_num_seqs} or the KV limit, the smaller
 * @param utilisation              decode tokens demanded over tokens a worker produces at a full batch
 * @param decodeTokens             tokens one request generates on the decode worker
 */
public record DecodeEstimate(double itlSeconds, double stepSeconds, double handoffSeconds,
                             double admissionWaitSeconds, double admissionWaitProbability,
                             double concurrencyPerWorker, int batchCap, double utilisation, double decodeTokens)
        implements PoolEstimate {

    @Override
    public double latencySeconds() {
        return itlSeconds;
    }

    /**
     * P(ITL <= target): the step time is taken as deterministic, so the spread comes from the admission wait,
     * which waits with probability {@code admissionWaitProbability} and is then exponential.
     */
    @Override
    public double attainment(double targetSeconds) {
        if (saturated()) {
            return 0;
        }
        double slack = (targetSeconds - stepSeconds) * decodeTokens - handoffSeconds;
        if (slack < 0) {
            return 0;
        }
        if (admissionWaitSeconds <= 0 || admissionWaitProbability <= 0) {
            return 1;
        }
        double conditionalMean = admissionWaitSeconds / admissionWaitProbability;
        return 1 - admissionWaitProbability * Math.exp(-slack / conditionalMean);
    }
}
