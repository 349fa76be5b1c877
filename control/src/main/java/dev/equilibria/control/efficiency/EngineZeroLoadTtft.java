package dev.equilibria.control.efficiency;

import dev.equilibria.engine.profile.EngineProfile;

/**
 * Zero-load TTFT from an engine profile: prefill of the request's uncached tokens after its cached prefix, alone
 * in the batch, plus a fixed overhead (tokenisation, the HTTP hops, the KV handoff and the first decode step of a
 * disaggregated request), which the service measures or sets.
 *
 * @param fixedOverheadMs added to every prediction, not negative
 */
public record EngineZeroLoadTtft(PrefillTime prefillTime, double fixedOverheadMs) implements ZeroLoadTtft {

    public static final double DEFAULT_FIXED_OVERHEAD_MS = 0;

    public EngineZeroLoadTtft {
        if (prefillTime == null) {
            throw new IllegalArgumentException("prefill time must be given");
        }
        if (!(fixedOverheadMs >= 0)) {
            throw new IllegalArgumentException("fixed overhead must not be negative, got " + fixedOverheadMs);
        }
    }

    public static EngineZeroLoadTtft of(EngineProfile profile) {
        return new EngineZeroLoadTtft(TimingModelPrefillTime.of(profile), DEFAULT_FIXED_OVERHEAD_MS);
    }

    @Override
    public double predictMillis(TtftSample sample) {
        return fixedOverheadMs + prefillTime.millis(sample.uncachedTokens(), sample.cachedTokens());
    }
}
