package dev.equilibria.engine.timing;

/**
 * The link a KV handoff crosses: transfer time = latency + bytes / bandwidth.
 *
 * @param bandwidthBytesPerSecond effective bandwidth of the path
 */
public record LinkProfile(String name, double bandwidthBytesPerSecond, double latencyMicros) {

    /** NVLink within one node (B200 NVLink 5, effective for KV transfers). */
    public static final LinkProfile INTRA_NODE = new LinkProfile("intra-node", 400e9, 5);
    /** 400 Gb/s InfiniBand between nodes, effective. */
    public static final LinkProfile INTER_NODE = new LinkProfile("inter-node", 40e9, 20);

    public long transferNanos(long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        return Math.round(latencyMicros * 1_000 + bytes / bandwidthBytesPerSecond * 1e9);
    }
}
