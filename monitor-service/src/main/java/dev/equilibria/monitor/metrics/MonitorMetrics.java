package dev.equilibria.monitor.metrics;

import dev.equilibria.control.controller.RegimeTransition;
import dev.equilibria.control.regime.Signal;
import dev.equilibria.monitor.poll.DashboardSnapshot;
import dev.equilibria.monitor.poll.MonitorState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The monitor's Prometheus metrics; names are listed in the module README and used by the fleet's Grafana dashboard,
 * so they are stable. Gauges read the latest poll's snapshot (NaN before the first poll or while unknown).
 */
public final class MonitorMetrics {

    public static final String POA_HAT = "equilibria.monitor.poa.hat";
    public static final String TTFT_INFLATION = "equilibria.monitor.ttft.inflation";
    public static final String LOAD_IMBALANCE = "equilibria.monitor.load.imbalance";
    public static final String REGIME = "equilibria.monitor.regime";
    public static final String REGIME_FORCED = "equilibria.monitor.regime.forced";
    public static final String TRANSITIONS = "equilibria.monitor.regime.transitions";
    public static final String TTFT_P99 = "equilibria.monitor.ttft.p99";
    public static final String TTFT_P50 = "equilibria.monitor.ttft.p50";
    public static final String TTFT_EWMA = "equilibria.monitor.ttft.p99.ewma";
    public static final String ITL = "equilibria.monitor.itl.mean";
    public static final String REQUESTS_PER_SECOND = "equilibria.monitor.requests.per.second";
    public static final String IN_FLIGHT = "equilibria.monitor.requests.in.flight";
    public static final String KV_HIT_RATE = "equilibria.monitor.kv.hit.rate";
    public static final String OFFERED_LOAD = "equilibria.monitor.offered.load";
    public static final String UTILISATION = "equilibria.monitor.utilisation";
    public static final String THRESHOLD = "equilibria.monitor.threshold";
    public static final String ALERTS = "equilibria.monitor.capacity.alerts";

    private final MeterRegistry registry;
    private final MonitorState state;

    public MonitorMetrics(MeterRegistry registry, MonitorState state) {
        this.registry = registry;
        this.state = state;
        for (String leg : new String[] {"prefill", "decode", "aggregated"}) {
            gauge(POA_HAT, "PoA-hat of the leg's routing decisions (stat p50/p90 over kept windows, rolling over the"
                    + " latest)", s -> s.poaHat().get(leg).p50(), "leg", leg, "stat", "p50");
            gauge(POA_HAT, null, s -> s.poaHat().get(leg).p90(), "leg", leg, "stat", "p90");
            gauge(POA_HAT, null, s -> s.poaHat().get(leg).rolling(), "leg", leg, "stat", "rolling");
            gauge(LOAD_IMBALANCE, "Mean max/mean candidate load at the leg's decisions", s ->
                    s.loadImbalance().get(leg).mean(), "leg", leg);
        }
        gauge(TTFT_INFLATION, "Observed TTFT over the engine profile's zero-load TTFT (stat mean or p99)",
                s -> s.ttftInflation().mean(), "stat", "mean");
        gauge(TTFT_INFLATION, null, s -> s.ttftInflation().p99(), "stat", "p99");
        gauge(REGIME, "Regime routing follows: 0 BELOW, 1 TRANSITION, 2 SATURATED", s -> (double) s.point().regime());
        gauge(REGIME_FORCED, "1 while an operator forces the regime", s -> s.regime().forced() == null ? 0.0 : 1.0);
        seconds(TTFT_P99, "TTFT P99 over the rate window", s -> s.point().ttftP99Ms());
        seconds(TTFT_P50, "TTFT median over the rate window", s -> s.point().ttftP50Ms());
        seconds(TTFT_EWMA, "The regime detector's EWMA of per-poll TTFT P99", s -> s.point().ttftEwmaMs());
        seconds(ITL, "Mean inter-token latency over the rate window", s -> s.point().itlMs());
        gauge(REQUESTS_PER_SECOND, "Finished requests per second over the rate window",
                s -> s.point().requestsPerSecond());
        gauge(IN_FLIGHT, "Requests in flight (gateway gauge, else the workers' running and waiting)",
                s -> s.point().requestsInFlight());
        gauge(KV_HIT_RATE, "Cached prompt tokens over prompt tokens over the rate window", s -> s.point().kvHitRate());
        gauge(OFFERED_LOAD, "The regime detector's offered load (requests/s)", s -> s.point().offeredLoad());
        gauge(UTILISATION, "The regime detector's EWMA of the hottest pool's utilisation score",
                s -> s.point().utilisation());
        seconds(THRESHOLD, "The detector's TTFT thresholds", s -> s.thresholds().theta1Ms(), "threshold", "theta1");
        seconds(THRESHOLD, null, s -> s.thresholds().theta2Ms(), "threshold", "theta2");
    }

    /** Counts a history entry by from, to and the signals that fired (joined with '+', lower case). */
    public void transition(RegimeTransition t) {
        String signal = t.signals().isEmpty() ? "none" : t.signals().stream().map(Signal::name).sorted()
                .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining("+"));
        Counter.builder(TRANSITIONS).description("Regime history entries, by from, to and the signals that fired")
                .tag("from", t.from().name().toLowerCase(Locale.ROOT)).tag("to", t.to().name().toLowerCase(Locale.ROOT))
                .tag("signal", signal).register(registry).increment();
    }

    public void alert(String pool, String alertState) {
        Counter.builder(ALERTS).description("Capacity alerts sent to the allocator, by pool and state")
                .tag("pool", pool).tag("state", alertState).register(registry).increment();
    }

    private void gauge(String name, String description, Function<DashboardSnapshot, Double> value,
                       String... tags) {
        register(name, description, value, null, 1, tags);
    }

    private void seconds(String name, String description, Function<DashboardSnapshot, Double> millis,
                         String... tags) {
        register(name, description, millis, "seconds", 1000, tags);
    }

    private void register(String name, String description, Function<DashboardSnapshot, Double> value,
                          String baseUnit, double divisor, String... tags) {
        Gauge.builder(name, state, st -> read(st, value) / divisor).description(description).baseUnit(baseUnit)
                .tags(tags).register(registry);
    }

    private static double read(MonitorState state, Function<DashboardSnapshot, Double> value) {
        DashboardSnapshot s = state.latest();
        if (s == null) {
            return Double.NaN;
        }
        try {
            Double v = value.apply(s);
            return v == null ? Double.NaN : v;
        } catch (NullPointerException e) {
            return Double.NaN;
        }
    }
}
