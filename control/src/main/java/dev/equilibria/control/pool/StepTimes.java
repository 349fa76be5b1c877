package dev.equilibria.control.pool;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.BatchShape;
import dev.equilibria.engine.timing.TimingModel;

/**
 * Step times of one worker at fractional batch sizes, by linear interpolation between whole ones, so the pool
 * models are continuous in load and in pool size.
 */
final class StepTimes {

    private final EngineConfig engine;
    private final TimingModel timing;

    StepTimes(WorkerProfile profile) {
        this.engine = profile.engine();
        this.timing = profile.timing();
    }

    /**
     * A prefill-only step computing {@code tokens} uncached tokens, taken from requests of {@code tokensPerRequest}
     * each (which sets how many sequences share the step, and so the attention cost).
     */
    double prefillSeconds(double tokens, double tokensPerRequest) {
        double t = Math.max(1, tokens);
        int lo = (int) Math.floor(t);
        double frac = t - lo;
        double at = prefillAt(lo, tokensPerRequest);
        return frac == 0 ? at : at + frac * (prefillAt(lo + 1, tokensPerRequest) - at);
    }

    /** A decode-only step over {@code seqs} sequences each attending over {@code kvTokensPerSeq} tokens. */
    double decodeSeconds(double seqs, double kvTokensPerSeq) {
        // an engine never runs a fraction of a sequence; below one the step costs what one sequence costs
        double b = Math.max(1, seqs);
        int lo = (int) Math.floor(b);
        double frac = b - lo;
        double at = decodeAt(lo, kvTokensPerSeq);
        return frac == 0 ? at : at + frac * (decodeAt(lo + 1, kvTokensPerSeq) - at);
    }

    private double prefillAt(int tokens, double tokensPerRequest) {
        int seqs = (int) Math.min(engine.maxNumSeqs(), Math.max(1, Math.ceil(tokens / Math.max(1, tokensPerRequest))));
        return timing.stepNanos(new BatchShape(tokens, seqs, 0, 0)) / 1e9;
    }

    private double decodeAt(int seqs, double kvTokensPerSeq) {
        return timing.stepNanos(new BatchShape(0, 0, seqs, Math.round(seqs * kvTokensPerSeq))) / 1e9;
    }
}
