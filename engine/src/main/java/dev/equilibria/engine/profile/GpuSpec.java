package dev.equilibria.engine.profile;

/**
 * One GPU's peak numbers from its datasheet (dense, no sparsity).
 *
 * @param flopsPerSecond   peak dense tensor FLOP/s at the precision the profile computes in
 * @param hbmBytesPerSecond HBM bandwidth
 * @param hbmBytes         HBM capacity
 * @param linkBytesPerSecond NVLink bandwidth per GPU, one direction
 */
public record GpuSpec(String name, double flopsPerSecond, double hbmBytesPerSecond, double hbmBytes,
                      double linkBytesPerSecond) {

    /** B200 (DGX B200 datasheet / 8): 4.5 PFLOP/s dense FP8, 8 TB/s HBM3e, 180 GB, NVLink 5 at 900 GB/s per direction. */
    public static final GpuSpec B200_FP8 = new GpuSpec("b200", 4.5e15, 8.0e12, 180e9, 900e9);
    /** H100 SXM: 989 TFLOP/s dense BF16, 3.35 TB/s HBM3, 80 GB, NVLink 4 at 450 GB/s per direction. */
    public static final GpuSpec H100_BF16 = new GpuSpec("h100", 989e12, 3.35e12, 80e9, 450e9);
    /** H200 SXM: 989 TFLOP/s dense BF16, 4.8 TB/s HBM3e, 141 GB, NVLink 4 at 450 GB/s per direction. */
    public static final GpuSpec H200_BF16 = new GpuSpec("h200", 989e12, 4.8e12, 141e9, 450e9);
}
