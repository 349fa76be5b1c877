package dev.equilibria.allocator.metrics;

import dev.equilibria.allocator.decision.AllocatorSettings;
import dev.equilibria.allocator.decision.AllocatorState;
import dev.equilibria.allocator.demand.DemandTracker;
import dev.equilibria.allocator.inputs.CapacityAlertBoard;
import dev.equilibria.control.allocation.AllocationDecision;
import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.SplitOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The allocator's Prometheus metrics (every name is listed in the module README). Gauges read the latest
 * {@link AllocatorState}; values the state does not have yet read NaN. Latencies and rates are GPU time (wall clock
 * when the workers run at time scale 1).
 */
public class AllocatorMetrics {

    private final MeterRegistry registry;
    private volatile AllocatorState state = AllocatorState.initial();
    private volatile AllocatorSettings.Values settings;

    public AllocatorMetrics(MeterRegistry registry, AllocatorSettings settings, CapacityAlertBoard alerts) {
        this.registry = registry;
        this.settings = settings.get();
        for (Pool pool : Pool.values()) {
            String p = name(pool);
            gauge("equilibria.allocator.pool.workers", "Workers per pool: the split steered toward, and the live one",
                    s -> target(s, pool), "pool", p, "kind", "target");
            gauge("equilibria.allocator.pool.workers", "Workers per pool: the split steered toward, and the live one",
                    s -> s.at() == null ? Double.NaN : s.current().workers(pool), "pool", p, "kind", "actual");
            Gauge.builder("equilibria.allocator.capacity.alert", alerts, a -> a.raised(pool) ? 1 : 0)
                    .description("1 while the monitor reports the pool short of capacity").tag("pool", p)
                    .register(registry);
        }
        gauge("equilibria.allocator.demand.arrival.rate", "Requests per second (GPU time), seen over the window",
                s -> s.observed() == null ? Double.NaN : s.observed().snapshot().workload().arrivalRate(),
                "kind", "observed");
        gauge("equilibria.allocator.demand.arrival.rate", "Requests per second (GPU time), forecast a horizon ahead",
                s -> s.forecast() == null ? Double.NaN : s.forecast().arrivalRate(), "kind", "forecast");
        gauge("equilibria.allocator.demand.input.tokens", "Mean prompt tokens per request, forecast",
                s -> s.forecast() == null ? Double.NaN : s.forecast().meanInputTokens());
        gauge("equilibria.allocator.demand.output.tokens", "Mean generated tokens per request, forecast",
                s -> s.forecast() == null ? Double.NaN : s.forecast().meanOutputTokens());
        gauge("equilibria.allocator.demand.prefix.hit.rate", "Cached share of prompt tokens, forecast",
                s -> s.forecast() == null ? Double.NaN : s.forecast().prefixHitRate());
        for (String split : new String[] {"current", "target"}) {
            boolean current = split.equals("current");
            timeGauge("equilibria.allocator.predicted.ttft", "Mean TTFT the prefill pool model predicts at the "
                    + "forecast", s -> latency(current ? s.currentOutcome() : s.targetOutcome(), Pool.PREFILL), split);
            timeGauge("equilibria.allocator.predicted.itl", "Mean ITL the decode pool model predicts at the forecast",
                    s -> latency(current ? s.currentOutcome() : s.targetOutcome(), Pool.DECODE), split);
        }
        timeGaugeObserved("equilibria.allocator.observed.ttft", "Mean TTFT the gateway measured over the window",
                DemandTracker.Measured::ttftSeconds);
        timeGaugeObserved("equilibria.allocator.observed.itl", "Mean ITL the gateway measured over the window",
                DemandTracker.Measured::itlSeconds);
        gauge("equilibria.allocator.split.poa", "Social cost of the outcome over the optimum's",
                s -> s.result() == null ? Double.NaN : s.result().poaEquilibrium(), "outcome", "equilibrium");
        gauge("equilibria.allocator.split.poa", "Social cost of the outcome over the optimum's",
                s -> s.result() == null ? Double.NaN : s.result().poaCompetition(), "outcome", "competition");
        gauge("equilibria.allocator.budget", "Workers the game shares out", s -> s.at() == null ? Double.NaN
                : s.budget());
        gauge("equilibria.allocator.actuation.pending", "1 while an actuation is under way",
                s -> s.pendingActuation() == null ? 0 : 1);
        Gauge.builder("equilibria.allocator.paused", this, m -> m.settings.paused() ? 1 : 0)
                .description("1 while actuation is paused through the admin API").register(registry);
    }

    /** Takes the latest evaluation and settings for the gauges. */
    public void update(AllocatorState latest, AllocatorSettings.Values values) {
        this.state = latest;
        this.settings = values;
    }

    /** Refreshes the settings between evaluations (pause and resume show at once). */
    public void update(AllocatorSettings.Values values) {
        this.settings = values;
    }

    /** Counts one decision by action ({@code keep}, {@code change}) and short reason code. */
    public void decision(AllocationDecision.Action action, String reasonCode) {
        Counter.builder("equilibria.allocator.decisions").description("Allocation decisions by action and reason")
                .tag("action", action.name().toLowerCase(Locale.ROOT)).tag("reason", reasonCode).register(registry)
                .increment();
    }

    private static double target(AllocatorState s, Pool pool) {
        return s.decision() == null ? Double.NaN : s.decision().target().workers(pool);
    }

    private static double latency(SplitOutcome outcome, Pool pool) {
        if (outcome == null) {
            return Double.NaN;
        }
        return (pool == Pool.PREFILL ? outcome.prefill() : outcome.decode()).latencySeconds();
    }

    private void gauge(String name, String description, ToDoubleFunction<AllocatorState> value, String... tags) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.state)).description(description).tags(tags)
                .register(registry);
    }

    private void timeGauge(String name, String description, ToDoubleFunction<AllocatorState> value, String split) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.state)).description(description).baseUnit("seconds")
                .tag("split", split).register(registry);
    }

    private void timeGaugeObserved(String name, String description,
                                   ToDoubleFunction<DemandTracker.Measured> value) {
        Gauge.builder(name, this, m -> m.state.observed() == null ? Double.NaN
                        : value.applyAsDouble(m.state.observed().measured()))
                .description(description).baseUnit("seconds").register(registry);
    }

    private static String name(Pool pool) {
        return pool.name().toLowerCase(Locale.ROOT);
    }
}
