package dev.equilibria.control.forecast;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Every built-in forecaster, by config name, with its parameters by name ({@code alpha}, {@code beta}). */
public final class Forecasters {

    private static final Map<String, Function<Map<String, Double>, Forecaster>> BUILT_IN = Map.of(
            EwmaForecaster.NAME, p -> new EwmaForecaster(new EwmaForecaster.Params(
                    param(p, EwmaForecaster.NAME, "alpha", EwmaForecaster.DEFAULT_ALPHA, Set.of("alpha")))),
            HoltForecaster.NAME, p -> new HoltForecaster(new HoltForecaster.Params(
                    param(p, HoltForecaster.NAME, "alpha", HoltForecaster.DEFAULT_ALPHA, Set.of("alpha", "beta")),
                    param(p, HoltForecaster.NAME, "beta", HoltForecaster.DEFAULT_BETA, Set.of("alpha", "beta")))));

    private Forecasters() {
    }

    /** Config names of the built-in forecasters, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BUILT_IN.keySet());
    }

    /** A fresh forecaster of that name with default parameters. */
    public static Forecaster create(String name) {
        return create(name, Map.of());
    }

    /**
     * A fresh forecaster of that name; parameters not given take their defaults.
     *
     * @throws IllegalArgumentException for an unknown name or parameter, naming the known ones
     */
    public static Forecaster create(String name, Map<String, Double> params) {
        Function<Map<String, Double>, Forecaster> factory = name == null ? null : BUILT_IN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown forecaster '" + name + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        return factory.apply(params);
    }

    private static double param(Map<String, Double> params, String forecaster, String key, double fallback,
                                Set<String> known) {
        for (String given : params.keySet()) {
            if (!known.contains(given)) {
                throw new IllegalArgumentException("unknown parameter '" + forecaster + "." + given + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        Double value = params.get(key);
        return value == null ? fallback : value;
    }
}
