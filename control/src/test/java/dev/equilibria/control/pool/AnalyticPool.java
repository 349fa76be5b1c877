package dev.equilibria.control.pool;

import dev.equilibria.control.forecast.Workload;

/**
 * A test pool with a closed form: each worker an M/M/1-like server of rate {@code mu} requests/s, so
 * {@code latency = base + 1 / (mu * G - lambda)}, and a request meets a target exactly when the mean does.
 */
public record AnalyticPool(double baseSeconds, double mu) implements PoolModel {

    public record Estimate(double latencySeconds, double utilisation) implements PoolEstimate {

        @Override
        public double attainment(double targetSeconds) {
            return latencySeconds <= targetSeconds ? 1 : 0;
        }
    }

    @Override
    public PoolEstimate estimate(Workload workload, double workers) {
        double lambda = workload.arrivalRate();
        double rho = workers > 0 ? lambda / (mu * workers) : Double.POSITIVE_INFINITY;
        double latency = rho < 1 ? baseSeconds + 1 / (mu * workers - lambda) : Double.POSITIVE_INFINITY;
        return new Estimate(latency, rho);
    }

    /** A workload of {@code rate} requests/s; the analytic pools read nothing else. */
    public static Workload rate(double rate) {
        return new Workload(rate, 1000, 2000, 200, 0);
    }
}
