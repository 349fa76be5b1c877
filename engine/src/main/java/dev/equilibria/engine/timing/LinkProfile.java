package dev.equilibria.engine.timing;

/**
 * The path a KV handoff crosses from a prefill worker to a decode worker:
 * {@code transfer = latency + bytes / bandwidth}.
 *
 * @param bandwidthBytesPerSecond effective bandwidth between the two workers
 */
public record LinkProfile(String name, double bandwidthBytesPerSecond, double latencyMicros) {

    /** Share of NVLink peak a KV transfer achieves. */
    public static final double NVLINK_EFFICIENCY = 0.6;
    /** One 400 Gb/s NIC per GPU (DGX B200 / DGX H100 compute fabric), one direction, in bytes/s. */
    public static final double IB_NDR_BYTES_PER_SECOND_PER_GPU = 50e9;
    /** Share of InfiniBand line rate a KV transfer achieves (RDMA, large messages). */
    public static final double IB_EFFICIENCY = 0.8;

    /** Default link when no profile is given: a TP4 group over NVLink 5. */
    public static final LinkProfile INTRA_NODE = nvlink(900e9, 4);

    public LinkProfile {
        if (!(bandwidthBytesPerSecond > 0)) {
            throw new IllegalArgumentException("link bandwidth must be positive");
        }
    }

    /** Both workers in one NVLink domain: every GPU of the TP group sends its shard in parallel. */
    public static LinkProfile nvlink(double perGpuBytesPerSecond, int tp) {
        return new LinkProfile("intra-node", perGpuBytesPerSecond * tp * NVLINK_EFFICIENCY, 5);
    }

    /** Workers on different nodes: every GPU of the TP group sends its shard over its own NIC. */
    public static LinkProfile infiniband(int tp) {
        return new LinkProfile("inter-node", IB_NDR_BYTES_PER_SECOND_PER_GPU * tp * IB_EFFICIENCY, 20);
    }

    public long transferNanos(long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        return Math.round(latencyMicros * 1_000 + bytes / bandwidthBytesPerSecond * 1e9);
    }
}
