package dev.equilibria.control.regime;

/**
 * What counts as full for a worker, in the utilisation score {@code max(queue / T_q, kv / T_kv)}.
 *
 * @param queueCap {@code T_q} ({@code queue_cap}): waiting requests per worker at which the queue counts as full
 * @param kvCap    {@code T_kv} ({@code kv_cap}): share of KV blocks in use at which the cache counts as full,
 *                 in (0, 1]
 */
public record UtilisationCaps(double queueCap, double kvCap) {

    public static final double DEFAULT_QUEUE_CAP = 8;
    /** vLLM starts preempting around here; past it the cache thrashes. */
    public static final double DEFAULT_KV_CAP = 0.9;

    public UtilisationCaps {
        if (!(queueCap > 0) || Double.isInfinite(queueCap)) {
            throw new IllegalArgumentException("queue_cap must be positive and finite, got " + queueCap);
        }
        if (!(kvCap > 0 && kvCap <= 1)) {
            throw new IllegalArgumentException("kv_cap must be in (0, 1], got " + kvCap);
        }
    }

    public static UtilisationCaps defaults() {
        return new UtilisationCaps(DEFAULT_QUEUE_CAP, DEFAULT_KV_CAP);
    }
}
