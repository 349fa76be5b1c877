package dev.equilibria.control.efficiency;

/**
 * How PoA-hat windows are cut and kept.
 *
 * @param windowRequests  decisions per window ({@code poa_window_requests}); the assignment is {@code O(n^3)}
 * @param windowMillis    longest span of a window ({@code poa_window_ms}); a quiet fleet still closes windows
 * @param historyWindows  closed windows kept per leg for the percentiles ({@code poa_history_windows})
 * @param rollingWindows  latest windows pooled into the rolling value ({@code poa_rolling_windows})
 */
public record PoaHatConfig(int windowRequests, long windowMillis, int historyWindows, int rollingWindows) {

    public static final int DEFAULT_WINDOW_REQUESTS = 64;
    /** Beyond this a window costs tens of milliseconds to solve; the paper's windows are far smaller. */
    public static final int MAX_WINDOW_REQUESTS = 512;
    public static final long DEFAULT_WINDOW_MILLIS = 10_000;
    public static final int DEFAULT_HISTORY_WINDOWS = 360;
    public static final int DEFAULT_ROLLING_WINDOWS = 12;

    public PoaHatConfig {
        if (windowRequests < 1 || windowRequests > MAX_WINDOW_REQUESTS) {
            throw new IllegalArgumentException("poa_window_requests must be in [1, " + MAX_WINDOW_REQUESTS
                    + "], got " + windowRequests);
        }
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("poa_window_ms must be positive, got " + windowMillis);
        }
        if (historyWindows < 1) {
            throw new IllegalArgumentException("poa_history_windows must be positive, got " + historyWindows);
        }
        if (rollingWindows < 1 || rollingWindows > historyWindows) {
            throw new IllegalArgumentException("poa_rolling_windows must be in [1, poa_history_windows], got "
                    + rollingWindows);
        }
    }

    public static PoaHatConfig defaults() {
        return new PoaHatConfig(DEFAULT_WINDOW_REQUESTS, DEFAULT_WINDOW_MILLIS, DEFAULT_HISTORY_WINDOWS,
                DEFAULT_ROLLING_WINDOWS);
    }
}
