package dev.equilibria.control.controller;

/**
 * @param source      the {@code source} of every override the controller publishes ({@code controller_source})
 * @param historySize transitions kept ({@code controller_history_size})
 */
public record ControllerConfig(String source, int historySize) {

    public static final String DEFAULT_SOURCE = "monitor";
    public static final int DEFAULT_HISTORY_SIZE = 256;

    public ControllerConfig {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("controller_source must be named");
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("controller_history_size must be positive, got " + historySize);
        }
    }

    public static ControllerConfig defaults() {
        return new ControllerConfig(DEFAULT_SOURCE, DEFAULT_HISTORY_SIZE);
    }
}
