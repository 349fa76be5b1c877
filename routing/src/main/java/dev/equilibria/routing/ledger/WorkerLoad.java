package dev.equilibria.routing.ledger;

/**
 * In-flight load on one worker as the router counts it.
 *
 * @param prefillTokens uncached prompt tokens dispatched whose first token has not come back
 * @param decodeBlocks  KV blocks of sequences decoding on the worker
 * @param requests      legs in flight on the worker
 */
public record WorkerLoad(long prefillTokens, long decodeBlocks, int requests) {

    public static final WorkerLoad NONE = new WorkerLoad(0, 0, 0);

    public WorkerLoad plus(WorkerLoad other) {
        return new WorkerLoad(prefillTokens + other.prefillTokens, decodeBlocks + other.decodeBlocks,
                requests + other.requests);
    }

    public boolean isZero() {
        return prefillTokens == 0 && decodeBlocks == 0 && requests == 0;
    }
}
