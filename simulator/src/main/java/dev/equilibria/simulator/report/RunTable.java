package dev.equilibria.simulator.report;

import dev.equilibria.simulator.experiment.RunResult;

/** The columns every experiment reports for a run. */
public final class RunTable {

    private RunTable() {
    }

    public static Table.Row fill(Table.Row row, RunResult r) {
        RunResult.LegIndices routed = r.routedLeg();
        return row.put("ttft_p50_s", r.latency().ttftP50())
                .put("ttft_p99_s", r.latency().ttftP99())
                .put("itl_mean_s", r.latency().itlMean())
                .put("e2e_p99_s", r.latency().e2eP99())
                .put("throughput_rps", r.latency().throughput())
                .put("output_tok_s", r.latency().outputTokensPerSecond())
                .put("poa_hat_p50", routed.poaHatP50())
                .put("poa_hat_p90", routed.poaHatP90())
                .put("load_imbalance", routed.loadImbalance())
                .put("ttft_inflation", r.ttftInflation())
                .put("ttft_inflation_p99", r.ttftInflationP99())
                .put("prefix_hit_rate", r.latency().prefixHitRate())
                .put("prefill_queue_share", r.latency().prefillQueueShare())
                .put("prefill_queue_s", r.latency().prefillQueueSeconds())
                .put("decode_queue_s", r.latency().decodeQueueSeconds())
                .put("requests", r.latency().requests())
                .put("regime_changes", r.transitions().size())
                .put("sim_s_per_wall_s", r.simulatedPerWallSecond());
    }
}
