package dev.equilibria.monitor.poll;

/**
 * One poll's values of every dashboard series and index; null where unknown.
 *
 * @param ttftPollP99Ms   TTFT P99 of the requests finished since the previous poll: what the detector was fed
 * @param ttftEwmaMs      the detector's EWMA of it
 * @param regime          0 BELOW, 1 TRANSITION, 2 SATURATED (the regime routing follows)
 * @param offeredLoad     the poll's offered load (requests/s)
 * @param utilisation     the detector's EWMA of the hottest pool's utilisation score
 */
public record SeriesPoint(long timestampMs, Double requestsPerSecond, Double requestsInFlight, Double ttftP50Ms,
                          Double ttftP99Ms, Double itlMs, Double kvHitRate, Double poaPrefill, Double poaDecode,
                          Double poaAggregated, Double inflationMean, Double inflationP99, Double imbalancePrefill,
                          Double imbalanceDecode, Double imbalanceAggregated, int regime, Double ttftPollP99Ms,
                          Double ttftEwmaMs, Double offeredLoad, Double utilisation) {
}
