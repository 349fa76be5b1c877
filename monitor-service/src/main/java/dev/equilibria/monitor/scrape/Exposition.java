package dev.equilibria.monitor.scrape;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parsed Prometheus text exposition.
 *
 * @param types   metric family name to its {@code # TYPE} ({@code counter}, {@code gauge}, {@code histogram}, ...)
 * @param help    metric family name to its {@code # HELP} text, unescaped
 * @param samples every sample line, in order
 */
public record Exposition(Map<String, String> types, Map<String, String> help, List<MetricSample> samples) {

    public static final Exposition EMPTY = new Exposition(Map.of(), Map.of(), List.of());

    public Exposition {
        types = Map.copyOf(types);
        help = Map.copyOf(help);
        samples = List.copyOf(samples);
    }

    public List<MetricSample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Sum of the samples of that name whose labels pass the filter; NaN when there are none. */
    public double sum(String name, Predicate<MetricSample> filter) {
        double sum = 0;
        boolean any = false;
        for (MetricSample s : samples) {
            if (s.name().equals(name) && filter.test(s)) {
                sum += s.value();
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    public double sum(String name) {
        return sum(name, s -> true);
    }
}
