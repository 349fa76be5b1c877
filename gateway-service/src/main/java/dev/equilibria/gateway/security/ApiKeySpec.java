package dev.equilibria.gateway.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One configured API key: {@code <name>:<key>[:<rate>[:<burst>]]}. The name identifies the key in logs and metrics
 * (the key itself never appears there); rate (requests per second) and burst fall back to the defaults. Entries are
 * separated by commas or newlines; blank lines and lines starting with {@code #} are skipped. A key cannot contain
 * {@code :}, {@code ,} or whitespace.
 *
 * @param rate  requests per second, or null for the default
 * @param burst requests at once, or null for the default
 */
public record ApiKeySpec(String name, String key, Double rate, Integer burst) {

    /** Keys shorter than this are refused: they could be guessed. */
    public static final int MIN_KEY_LENGTH = 16;

    /** Reads every entry of {@code text}; {@code source} names where it came from in error messages. */
    public static List<ApiKeySpec> parseAll(String text, String source) {
        List<ApiKeySpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        String[] entries = text.split("[,\\n]");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            ApiKeySpec spec = parse(entry, source + " entry " + (i + 1));
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(source + ": the key name '" + spec.name() + "' is used twice");
            }
            if (!keys.add(spec.key())) {
                throw new IllegalArgumentException(source + ": the key named '" + spec.name()
                        + "' is the same as another one");
            }
            specs.add(spec);
        }
        return specs;
    }

    static ApiKeySpec parse(String entry, String where) {
        String[] parts = entry.split(":", -1);
        if (parts.length < 2 || parts.length > 4) {
            // never echo the entry: it holds a key
            throw new IllegalArgumentException(where + ": expected <name>:<key>[:<rate>[:<burst>]]");
        }
        String name = parts[0].trim();
        String key = parts[1].trim();
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(where + ": the name must be letters, digits, '.', '_' or '-'");
        }
        if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(where + " (" + name + "): the key must be at least " + MIN_KEY_LENGTH
                    + " characters without whitespace");
        }
        Double rate = null;
        Integer burst = null;
        try {
            if (parts.length > 2 && !parts[2].isBlank()) {
                rate = Double.parseDouble(parts[2].trim());
                if (!(rate > 0) || rate.isInfinite()) {
                    throw new IllegalArgumentException(where + " (" + name + "): the rate must be > 0");
                }
            }
            if (parts.length > 3 && !parts[3].isBlank()) {
                burst = Integer.parseInt(parts[3].trim());
                if (burst < 1) {
                    throw new IllegalArgumentException(where + " (" + name + "): the burst must be >= 1");
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " (" + name + "): rate and burst must be numbers");
        }
        return new ApiKeySpec(name, key, rate, burst);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ApiKeySpec[name=" + name + ", rate=" + rate + ", burst=" + burst + "]";
    }
}
