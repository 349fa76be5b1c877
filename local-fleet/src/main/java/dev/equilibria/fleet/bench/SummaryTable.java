package dev.equilibria.fleet.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Prints a summary as aiperf does: one row per latency metric with its statistics, then the totals. */
public final class SummaryTable {

    private SummaryTable() {
    }

    public static void print(BenchSummary s, PrintStream out) {
        out.println();
        out.println("workload: " + s.workload());
        out.printf(Locale.ROOT, "%s, %.1f s, %d requests: %d succeeded, %d explicit errors, %d lost%n",
                s.closedLoop() ? "closed loop with " + s.clients() + " clients" : "open loop", s.durationSeconds(),
                s.requests(), s.succeeded(), s.explicitErrors(), s.lost());
        out.println();
        out.printf(Locale.ROOT, "%-26s %10s %10s %10s %10s %10s %10s%n", "metric", "mean", "min", "p50", "p90", "p99",
                "max");
        row(out, "time to first token (ms)", s.ttftMs());
        row(out, "inter-token latency (ms)", s.itlMs());
        row(out, "end-to-end latency (ms)", s.e2eMs());
        row(out, "output tokens / request", s.outputTokens());
        out.println();
        out.printf(Locale.ROOT, "%-30s %12.2f%n", "request throughput (req/s)", s.requestThroughput());
        out.printf(Locale.ROOT, "%-30s %12.1f%n", "output tokens / s", s.outputTokenThroughput());
        out.printf(Locale.ROOT, "%-30s %12d%n", "output tokens", s.totalOutputTokens());
        if (s.slo().isSet()) {
            out.printf(Locale.ROOT, "%-30s %12.2f   (%d of %d requests meet %s)%n", "goodput (req/s)", s.goodput(),
                    s.goodRequests(), s.requests(), s.slo().describe());
        }
        if (s.tokenMismatches() > 0) {
            out.printf(Locale.ROOT, "%-30s %12d   (token chunks != usage.completion_tokens)%n", "token mismatches",
                    s.tokenMismatches());
        }
        if (!s.errorsByKind().isEmpty()) {
            out.println();
            out.println("errors by kind:");
            for (Map.Entry<String, Integer> e : s.errorsByKind().entrySet()) {
                out.printf(Locale.ROOT, "  %-40s %8d%n", e.getKey(), e.getValue());
            }
        }
        out.flush();
    }

    private static void row(PrintStream out, String name, Stats st) {
        out.printf(Locale.ROOT, "%-26s %10s %10s %10s %10s %10s %10s%n", name, f(st.mean()), f(st.min()), f(st.p50()),
                f(st.p90()), f(st.p99()), f(st.max()));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
