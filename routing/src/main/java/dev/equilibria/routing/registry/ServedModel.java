package dev.equilibria.routing.registry;

import java.time.Instant;

/**
 * A model that at least one live worker announces.
 *
 * @param maxModelLen the smallest {@code max_model_len} among those workers, so any of them can serve a request
 *                    that fits
 * @param since       when the earliest of those workers was first seen
 * @param workers     how many live workers announce it, draining ones included
 */
public record ServedModel(String name, int maxModelLen, Instant since, int workers) {
}
