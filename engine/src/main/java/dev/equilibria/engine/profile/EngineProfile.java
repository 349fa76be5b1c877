package dev.equilibria.engine.profile;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.RooflineTimingModel;

/**
 * A named deployment: a model on a TP group of GPUs with vLLM-style limits. From it follow the KV pool size (GPU
 * memory left after weights), the roofline timing model and the handoff link.
 *
 * @param tp                   GPUs per worker (tensor parallel degree)
 * @param gpuMemoryUtilization share of HBM the engine may use ({@code gpu_memory_utilization})
 * @param activationReserveBytesPerGpu memory kept for activations and CUDA graphs on every GPU
 * @param interNodeHandoff     true when prefill and decode workers sit on different nodes (whole-node workers)
 */
public record EngineProfile(String name, ModelSpec model, GpuSpec gpu, int tp, double mfu, double mbu,
                            double stepOverheadMs, double gpuMemoryUtilization, double activationReserveBytesPerGpu,
                            boolean interNodeHandoff, int maxNumSeqs, int maxNumBatchedTokens) {

    public static final double DEFAULT_MFU = 0.5;
    public static final double DEFAULT_MBU = 0.7;
    public static final double DEFAULT_STEP_OVERHEAD_MS = 2.0;
    public static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;
    public static final double DEFAULT_ACTIVATION_RESERVE_BYTES = 4e9;

    /** KV blocks of {@code blockSize} tokens that fit beside the weights. */
    public int numBlocks(int blockSize) {
        double free = tp * (gpu.hbmBytes() * gpuMemoryUtilization - activationReserveBytesPerGpu)
                - model.weightBytesTotal();
        if (free <= 0) {
            throw new IllegalStateException(name + ": weights do not fit in " + tp + " x " + gpu.name());
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) (free / ((double) model.kvBytesPerToken() * blockSize)));
    }

    public EngineConfig engineConfig(int blockSize) {
        return new EngineConfig(blockSize, numBlocks(blockSize), maxNumSeqs, maxNumBatchedTokens, model.maxModelLen(),
                model.kvBytesPerToken());
    }

    public RooflineTimingModel rooflineTiming() {
        return new RooflineTimingModel(model, gpu, tp, mfu, mbu, stepOverheadMs);
    }

    public LinkProfile handoffLink() {
        return interNodeHandoff ? LinkProfile.infiniband(tp) : LinkProfile.nvlink(gpu.linkBytesPerSecond(), tp);
    }
}
