package dev.equilibria.fleet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Service-level objectives for goodput: a request is good when it succeeded and meets every objective given. The
 * ITL objective applies to the request's mean inter-token latency (as aiperf and genai-perf define it), so one
 * scheduling hiccup does not void a long stream.
 */
public record Slo(OptionalDouble ttftMs, OptionalDouble itlMs, OptionalDouble e2eMs) {

    public static final Slo NONE = new Slo(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public static Slo of(BenchOptions options) {
        return new Slo(options.sloTtftMs(), options.sloItlMs(), options.sloE2eMs());
    }

    public boolean isSet() {
        return ttftMs.isPresent() || itlMs.isPresent() || e2eMs.isPresent();
    }

    /** True when {@code r} succeeded and is within every objective (a one-token request has no ITL to miss). */
    public boolean meets(RequestResult r) {
        if (!r.succeeded()) {
            return false;
        }
        if (ttftMs.isPresent() && !(r.ttftMs() <= ttftMs.getAsDouble())) {
            return false;
        }
        double itl = r.meanItlMs();
        if (itlMs.isPresent() && !Double.isNaN(itl) && itl > itlMs.getAsDouble()) {
            return false;
        }
        return e2eMs.isEmpty() || r.e2eMs() <= e2eMs.getAsDouble();
    }

    /** For example {@code ttft <= 500 ms, itl <= 50 ms}; {@code none} when unset. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        ttftMs.ifPresent(v -> parts.add(String.format(Locale.ROOT, "ttft <= %s ms", trim(v))));
        itlMs.ifPresent(v -> parts.add(String.format(Locale.ROOT, "mean itl <= %s ms", trim(v))));
        e2eMs.ifPresent(v -> parts.add(String.format(Locale.ROOT, "e2e <= %s ms", trim(v))));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
