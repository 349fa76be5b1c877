package dev.equilibria.fleet.bench;

import java.util.Optional;

/**
 * Server-sent events, line by line, as the WHATWG spec reads them: {@code data:} lines (one optional space after the
 * colon dropped) accumulate, joined by newlines, and a blank line dispatches the event; comments ({@code :...}) and
 * other fields are ignored; an event not closed by a blank line when the stream ends is discarded. Not thread-safe:
 * one per stream.
 */
public final class SseParser {

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /**
     * Feeds one line (without its line terminator).
     *
     * @return the data of the event this line dispatches, if it is a blank line ending an event with data
     */
    public Optional<String> feed(String line) {
        if (line.isEmpty()) {
            if (!hasData) {
                return Optional.empty();
            }
            String event = data.toString();
            data.setLength(0);
            hasData = false;
            return Optional.of(event);
        }
        if (line.charAt(0) == ':') {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (!field.equals("data")) {
            return Optional.empty();
        }
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
        return Optional.empty();
    }

    /** True when data was read that no blank line has dispatched yet (a stream cut in the middle of an event). */
    public boolean hasPendingEvent() {
        return hasData;
    }
}
