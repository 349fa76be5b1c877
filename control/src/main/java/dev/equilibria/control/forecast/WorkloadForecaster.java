package dev.equilibria.control.forecast;

/**
 * Forecasts every field of a {@link Workload} with its own forecaster of the configured method, and clamps the
 * results into their domains (rates and lengths non-negative, hit rate in [0, 1]) because a trend can overshoot.
 */
public final class WorkloadForecaster {

    private final ForecastConfig config;
    private final Forecaster rate;
    private final Forecaster meanInput;
    private final Forecaster p90Input;
    private final Forecaster meanOutput;
    private final Forecaster hitRate;

    public WorkloadForecaster(ForecastConfig config) {
        this.config = config;
        this.rate = newForecaster();
        this.meanInput = newForecaster();
        this.p90Input = newForecaster();
        this.meanOutput = newForecaster();
        this.hitRate = newForecaster();
    }

    public ForecastConfig config() {
        return config;
    }

    /**
     * Adds one window. The rate is always observed (zero is news); lengths and hit rate only when the window had
     * requests, so an idle minute does not drag the expected prompt length toward zero.
     */
    public void observe(DemandSnapshot snapshot) {
        long t = snapshot.timestampMs();
        Workload w = snapshot.workload();
        rate.observe(t, w.arrivalRate());
        if (snapshot.requests() > 0) {
            meanInput.observe(t, w.meanInputTokens());
            p90Input.observe(t, w.p90InputTokens());
            hitRate.observe(t, w.prefixHitRate());
        }
        if (snapshot.requests() > 0 || snapshot.completions() > 0) {
            meanOutput.observe(t, w.meanOutputTokens());
        }
    }

    public boolean hasObservations() {
        return rate.hasObservations();
    }

    /**
     * Expected workload one horizon ahead; fields never observed are zero.
     *
     * @throws IllegalStateException before the first snapshot
     */
    public Workload forecast() {
        if (!rate.hasObservations()) {
            throw new IllegalStateException("no demand observed yet");
        }
        return new Workload(
                nonNegative(rate),
                nonNegative(meanInput),
                nonNegative(p90Input),
                nonNegative(meanOutput),
                Math.min(1, nonNegative(hitRate)));
    }

    private double nonNegative(Forecaster f) {
        return f.hasObservations() ? Math.max(0, f.forecast(config.horizon())) : 0;
    }

    private Forecaster newForecaster() {
        return Forecasters.create(config.method(), config.params());
    }
}
