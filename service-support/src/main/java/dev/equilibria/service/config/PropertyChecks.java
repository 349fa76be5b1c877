package dev.equilibria.service.config;

import java.time.Duration;

/**
 * The checks every service's {@code @ConfigurationProperties} record applies when it binds: a missing value takes
 * its default, an invalid one stops startup with a message that names the full property.
 *
 * @param prefix the properties' prefix, for example {@code equilibria.gateway}
 */
public record PropertyChecks(String prefix) {

    /** {@code value}, or {@code fallback} when unset; zero and negative durations are refused. */
    public Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, "must be positive, got " + value);
        }
        return value;
    }

    /** {@code value}, or {@code fallback} when unset; values below 1 are refused. */
    public int atLeastOne(Integer value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw invalid(name, "must be >= 1, got " + value);
        }
        return value;
    }

    /** The startup failure for property {@code prefix.name}. */
    public IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException(prefix + "." + name + ": " + problem);
    }
}
