package dev.equilibria.gateway.api;

import java.util.List;

/**
 * Finds stop strings in generated text as it streams, as OpenAI applies {@code stop}: the output ends just before
 * the first stop string and does not contain it. Text that could be the start of a stop string is held back until
 * the next piece decides, so a stream never shows part of a stop string. Not thread-safe: one per request.
 */
final class StopMatcher {

    /** What to send after one piece of text, and whether a stop string ended the output. */
    record Step(String emit, boolean stopped) {
    }

    private final List<String> stops;
    private final int longest;
    private final StringBuilder held = new StringBuilder();

    StopMatcher(List<String> stops) {
        this.stops = List.copyOf(stops);
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    Step feed(String text) {
        held.append(text);
        int first = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            String emit = held.substring(0, first);
            held.setLength(0);
            return new Step(emit, true);
        }
        int keep = heldBackLength();
        String emit = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Step(emit, false);
    }

    /** The held-back text, at the end of the output. */
    String flush() {
        String rest = held.toString();
        held.setLength(0);
        return rest;
    }

    /** Length of the longest suffix of the held text that is a proper prefix of some stop string. */
    private int heldBackLength() {
        int n = held.length();
        for (int k = Math.min(longest - 1, n); k > 0; k--) {
            String suffix = held.substring(n - k);
            for (String stop : stops) {
                if (stop.startsWith(suffix)) {
                    return k;
                }
            }
        }
        return 0;
    }
}
