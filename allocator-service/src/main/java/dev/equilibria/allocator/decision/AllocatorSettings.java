package dev.equilibria.allocator.decision;

import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.control.game.Slo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The settings an operator may change at run time through the admin API: the budget, the SLOs, and whether
 * actuation is paused. Starts from configuration; every change replaces the whole value at once, so a reader never
 * sees half of an update. Thread-safe.
 */
public final class AllocatorSettings {

    /**
     * @param budget      workers the pools share; null for every live prefill and decode worker
     * @param slo         the SLOs the pools play for
     * @param pausedSince when actuation was paused; null while it runs
     */
    public record Values(Integer budget, Slo slo, Instant pausedSince) {

        public Values {
            Objects.requireNonNull(slo, "slo");
        }

        public boolean paused() {
            return pausedSince != null;
        }
    }

    private final AtomicReference<Values> values;

    public AllocatorSettings(AllocatorProperties properties) {
        this.values = new AtomicReference<>(new Values(properties.budget(), properties.slo().toSlo(), null));
    }

    public Values get() {
        return values.get();
    }

    public Optional<Integer> budget() {
        return Optional.ofNullable(values.get().budget());
    }

    /** @param budget a whole number of workers, checked by the caller; null for the live worker count */
    public Values setBudget(Integer budget) {
        return values.updateAndGet(v -> new Values(budget, v.slo(), v.pausedSince()));
    }

    public Values setSlo(Slo slo) {
        return values.updateAndGet(v -> new Values(v.budget(), slo, v.pausedSince()));
    }

    /** Pauses actuation; the loop keeps deciding and publishing, as in advisory mode. Idempotent. */
    public Values pause(Instant now) {
        return values.updateAndGet(v -> v.paused() ? v : new Values(v.budget(), v.slo(), now));
    }

    public Values resume() {
        return values.updateAndGet(v -> new Values(v.budget(), v.slo(), null));
    }
}
