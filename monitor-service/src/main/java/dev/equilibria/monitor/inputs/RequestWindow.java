package dev.equilibria.monitor.inputs;

/**
 * Finished requests over the rate window.
 *
 * @param requests          records in the window
 * @param errors            of which did not succeed
 * @param requestsPerSecond finished requests per second
 * @param kvHitRate         cached prompt tokens over prompt tokens
 */
public record RequestWindow(int requests, int errors, double requestsPerSecond, double ttftP50Ms, double ttftP99Ms,
                            double meanItlMs, double kvHitRate) {

    public static final RequestWindow EMPTY = new RequestWindow(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);
}
