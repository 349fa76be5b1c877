package dev.equilibria.control.forecast;

/**
 * What the decision log showed over one window.
 *
 * @param timestampMs end of the window
 * @param requests    requests that arrived in the window; when zero, the lengths in {@code workload} are carried
 *                    over from the last window that had requests
 * @param completions completions whose output length was reported in the window
 */
public record DemandSnapshot(long timestampMs, int requests, int completions, Workload workload) {
}
