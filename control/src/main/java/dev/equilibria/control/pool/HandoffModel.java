package dev.equilibria.control.pool;

import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.LinkProfile;
import java.util.Objects;

/**
 * Time to move a prompt's KV cache from a prefill worker to a decode worker. The whole prompt is sent: the decode
 * worker's own prefix cache is not assumed, which overestimates slightly when decode workers share prefixes.
 *
 * @param kvBytesPerToken KV cache bytes one token occupies
 */
public record HandoffModel(LinkProfile link, long kvBytesPerToken) {

    public HandoffModel {
        Objects.requireNonNull(link, "link");
        if (kvBytesPerToken < 0) {
            throw new IllegalArgumentException("kv_bytes_per_token must not be negative, was " + kvBytesPerToken);
        }
    }

    public static HandoffModel of(LinkProfile link, EngineConfig engine) {
        return new HandoffModel(link, engine.kvBytesPerToken());
    }

    /** Seconds to transfer the KV of {@code tokens} prompt tokens. */
    public double seconds(double tokens) {
        return link.transferNanos(Math.round(tokens * kvBytesPerToken)) / 1e9;
    }
}
