package dev.equilibria.gateway.security;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens, refills at {@code rate} tokens per second, and each request
 * takes one. Time comes from an injected nanosecond clock, so tests can drive it.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double rate;
    private final int burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    /**
     * @param rate  tokens added per second, > 0
     * @param burst capacity, >= 1; the bucket starts full
     */
    public TokenBucket(double rate, int burst, LongSupplier nanoClock) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number, got " + rate);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Takes a token: 0 when one was there, else the nanoseconds until one will be (nothing taken). */
    public synchronized long tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * rate / NANOS_PER_SECOND);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / rate * NANOS_PER_SECOND));
    }

    public double rate() {
        return rate;
    }

    public int burst() {
        return burst;
    }
}
