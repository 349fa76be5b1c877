package dev.equilibria.control.regime;

/**
 * TTFT P99 thresholds of the regime detector.
 *
 * @param basis how they were derived, for the log and the dashboard
 */
public record Thresholds(double theta1Ms, double theta2Ms, String basis) {

    public Thresholds {
        if (!(theta1Ms > 0) || !(theta2Ms > theta1Ms) || Double.isInfinite(theta2Ms)) {
            throw new IllegalArgumentException("thresholds need 0 < theta1_ms < theta2_ms, finite; got "
                    + theta1Ms + " and " + theta2Ms);
        }
    }
}
