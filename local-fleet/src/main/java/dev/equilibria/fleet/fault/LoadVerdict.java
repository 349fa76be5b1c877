package dev.equilibria.fleet.fault;

import dev.equilibria.fleet.bench.Outcome;
import dev.equilibria.fleet.bench.RequestResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the load saw around a fault: lost requests (no complete response and no explicit error), requests whose
 * tokens were duplicated or missing, explicit errors by kind, and how long recovery took. Times are seconds from the
 * fault.
 *
 * <p>A stream is token-correct when its token chunks equal {@code usage.completion_tokens} and, for a stream that
 * ended in {@code [DONE]} without an error, equal {@code max_tokens} (the simulated model never stops early); a
 * stream cut by an explicit error may have fewer tokens, never more.
 *
 * @param firstSuccessS       from the fault to the end of the first successful request sent after the fault's first
 *                            failure (after the fault itself when nothing failed); empty when none did
 * @param errorsClearedS      from the fault to the end of the last failed request (0 when none failed after it)
 * @param successesAfterErrors successful requests sent after the last failure ended: the error rate is back to zero
 *                            only when there are some
 */
public record LoadVerdict(String fault, String load, int requests, int succeeded, List<RequestResult> explicitErrors,
                          List<RequestResult> lost, List<RequestResult> tokenErrors, OptionalDouble firstSuccessS,
                          double errorsClearedS, int successesAfterErrors) {

    /**
     * @param results    every request of the run, times in the run's clock
     * @param faultNanos when the fault was injected, in the same clock
     */
    public static LoadVerdict of(String fault, String load, List<RequestResult> results, long faultNanos) {
        List<RequestResult> explicit = results.stream().filter(r -> r.outcome() == Outcome.EXPLICIT_ERROR).toList();
        List<RequestResult> lost = results.stream().filter(r -> r.outcome() == Outcome.LOST).toList();
        List<RequestResult> tokenErrors = results.stream().filter(LoadVerdict::tokensWrong).toList();
        // recovery starts at the first failure the fault caused: requests that slipped through before it do not count
        long firstFailureEnd = results.stream().filter(r -> (!r.succeeded() || tokensWrong(r))
                && r.endNanos() >= faultNanos).mapToLong(RequestResult::endNanos).min().orElse(faultNanos);
        OptionalDouble firstSuccess = results.stream()
                .filter(r -> r.succeeded() && !tokensWrong(r) && r.startNanos() >= firstFailureEnd)
                .mapToLong(RequestResult::endNanos).min().stream().mapToDouble(end -> (end - faultNanos) / 1e9)
                .findFirst();
        long lastFailureEnd = results.stream().filter(r -> !r.succeeded() || tokensWrong(r))
                .mapToLong(RequestResult::endNanos).max().orElse(Long.MIN_VALUE);
        double cleared = lastFailureEnd < faultNanos ? 0 : (lastFailureEnd - faultNanos) / 1e9;
        int after = (int) results.stream().filter(r -> r.succeeded() && !tokensWrong(r)
                && r.startNanos() > lastFailureEnd).count();
        int succeeded = (int) results.stream().filter(RequestResult::succeeded).count();
        return new LoadVerdict(fault, load, results.size(), succeeded, explicit, lost, tokenErrors, firstSuccess,
                cleared, after);
    }

    /** Duplicated or missing tokens (see the class comment). */
    public static boolean tokensWrong(RequestResult r) {
        if (r.tokenCountMismatch() || r.chunkTokens() > r.maxTokens()) {
            return true;
        }
        return r.succeeded() && r.chunkTokens() != r.maxTokens();
    }

    /** Explicit errors counted by kind, e.g. {@code {http_429:queue_full=12}}. */
    public Map<String, Long> errorKinds() {
        return explicitErrors.stream().collect(Collectors.groupingBy(RequestResult::errorKind, TreeMap::new,
                Collectors.counting()));
    }

    /** Lost requests counted by kind. */
    public Map<String, Long> lostKinds() {
        return lost.stream().collect(Collectors.groupingBy(RequestResult::errorKind, TreeMap::new,
                Collectors.counting()));
    }

    /** A few failed requests, for assertion messages. */
    public String examples(List<RequestResult> which) {
        return which.stream().limit(5).map(r -> r + " " + r.errorMessage()).collect(Collectors.joining("; "));
    }

    public static final String TABLE_HEADER = "| fault | load | requests | lost | errors | token errors "
            + "| first success after fault | errors cleared after fault |\n|---|---|---:|---:|---|---:|---:|---:|";

    /** One row of the results table. */
    public String markdownRow() {
        String errors = explicitErrors.isEmpty() ? "0" : explicitErrors.size() + " (" + errorKinds().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %d | %s | %s |", fault, load, requests,
                lost.size(), errors, tokenErrors.size(),
                firstSuccessS.isPresent() ? String.format(Locale.ROOT, "%.1f s", firstSuccessS.getAsDouble()) : "none",
                String.format(Locale.ROOT, "%.1f s", errorsClearedS));
    }
}
