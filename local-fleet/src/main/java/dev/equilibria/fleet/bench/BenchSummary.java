package dev.equilibria.fleet.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run measured, in aiperf's terms: latency statistics over the successful requests (TTFT, every
 * inter-token gap, end-to-end), request and output-token throughput over the run's duration (first request sent to
 * last one ended), errors by kind, and goodput (requests meeting the SLOs, per second).
 *
 * @param tokenMismatches successful requests whose token chunks differ from {@code usage.completion_tokens}
 * @param shortRequests   successful requests with fewer output tokens than {@code max_tokens}
 */
public record BenchSummary(String workload, boolean closedLoop, int clients, double durationSeconds, int requests,
                           int succeeded, int explicitErrors, int lost, Map<String, Integer> errorsByKind,
                           Stats ttftMs, Stats itlMs, Stats e2eMs, Stats outputTokens, long totalOutputTokens,
                           double requestThroughput, double outputTokenThroughput, Slo slo, int goodRequests,
                           double goodput, int tokenMismatches, int shortRequests) {

    public static BenchSummary of(BenchRun.Result run, Slo slo) {
        List<RequestResult> all = run.requests();
        List<RequestResult> ok = all.stream().filter(RequestResult::succeeded).toList();
        Map<String, Integer> errors = new TreeMap<>();
        int explicit = 0;
        int lost = 0;
        for (RequestResult r : all) {
            if (r.outcome() == Outcome.EXPLICIT_ERROR) {
                explicit++;
            } else if (r.outcome() == Outcome.LOST) {
                lost++;
            }
            if (!r.succeeded()) {
                errors.merge(r.errorKind(), 1, Integer::sum);
            }
        }
        double seconds = run.durationNanos() / 1e9;
        long tokens = ok.stream().mapToLong(RequestResult::outputTokens).sum();
        int good = (int) ok.stream().filter(slo::meets).count();
        return new BenchSummary(run.workload(), run.closedLoop(), run.clients(), seconds, all.size(), ok.size(),
                explicit, lost, errors,
                Stats.of(ok.stream().mapToDouble(RequestResult::ttftMs).toArray()),
                Stats.of(ok.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.itlsMs())).toArray()),
                Stats.of(ok.stream().mapToDouble(RequestResult::e2eMs).toArray()),
                Stats.of(ok.stream().mapToDouble(RequestResult::outputTokens).toArray()),
                tokens, ok.size() / seconds, tokens / seconds, slo, good, good / seconds,
                (int) ok.stream().filter(RequestResult::tokenCountMismatch).count(),
                (int) ok.stream().filter(r -> r.outputTokens() < r.maxTokens()).count());
    }
}
