package dev.equilibria.engine.timing;

import dev.equilibria.engine.profile.GpuSpec;
import dev.equilibria.engine.profile.ModelSpec;

/**
 * Step time from first principles: a step is bound either by compute (matmul FLOPs of every token in the batch
 * plus attention FLOPs) or by memory (reading every weight once plus the KV the decoders attend over), whichever
 * takes longer on {@code tp} GPUs at the given efficiencies, plus a fixed per-step overhead (scheduling, kernel
 * launches, tensor-parallel all-reduces).
 *
 * <pre>
 * compute_s = (2 * params * (prefill_tokens + decode_seqs) + 4 * layers * hidden * (prefill_pairs + decode_kv))
 *             / (tp * peak_flops * mfu)
 * memory_s  = (params * weight_bytes + kv_bytes_per_token * decode_kv) / (tp * hbm_bandwidth * mbu)
 * step_s    = overhead + max(compute_s, memory_s)
 * </pre>
 *
 * @param mfu              fraction of peak FLOP/s a step achieves (model FLOPs utilisation)
 * @param mbu              fraction of peak HBM bandwidth a step achieves (memory bandwidth utilisation)
 * @param stepOverheadMs   fixed cost of every step
 */
public record RooflineTimingModel(ModelSpec model, GpuSpec gpu, int tp, double mfu, double mbu,
                                  double stepOverheadMs) implements TimingModel {

    public RooflineTimingModel {
        if (tp < 1) {
            throw new IllegalArgumentException("tp must be at least 1");
        }
        if (!(mfu > 0 && mfu <= 1) || !(mbu > 0 && mbu <= 1)) {
            throw new IllegalArgumentException("mfu and mbu must be in (0, 1]");
        }
        if (stepOverheadMs < 0) {
            throw new IllegalArgumentException("step_overhead_ms must not be negative");
        }
    }

    public double computeSeconds(BatchShape batch) {
        double tokens = batch.prefillTokens() + batch.decodeSeqs();
        double flops = model.flopsPerToken() * tokens
                + model.attentionFlops(batch.prefillContextPairs() + batch.decodeKvTokens());
        return flops / (tp * gpu.flopsPerSecond() * mfu);
    }

    public double memorySeconds(BatchShape batch) {
        double bytes = model.weightBytesTotal() + (double) model.kvBytesPerToken() * batch.decodeKvTokens();
        return bytes / (tp * gpu.hbmBytesPerSecond() * mbu);
    }

    @Override
    public long stepNanos(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        double seconds = stepOverheadMs / 1e3 + Math.max(computeSeconds(batch), memorySeconds(batch));
        return Math.round(seconds * 1e9);
    }
}
