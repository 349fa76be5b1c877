package dev.equilibria.control.regime;

import dev.equilibria.protocol.event.WorkerLoad;

/**
 * One worker's load at a poll, with its batch limit.
 *
 * @param maxNumSeqs the worker's {@code max_num_seqs} (from its heartbeat's capacity)
 */
public record WorkerState(String workerId, int runningRequests, int waitingRequests, int maxNumSeqs,
                          int kvBlocksUsed, int kvBlocksTotal) {

    public WorkerState {
        if (runningRequests < 0 || waitingRequests < 0 || kvBlocksUsed < 0 || kvBlocksTotal < 0 || maxNumSeqs < 0) {
            throw new IllegalArgumentException("worker " + workerId + ": load figures must not be negative");
        }
    }

    public static WorkerState of(WorkerLoad load, int maxNumSeqs) {
        return new WorkerState(load.workerId(), load.runningRequests(), load.waitingRequests(), maxNumSeqs,
                load.kvBlocksUsed(), load.kvBlocksTotal());
    }

    /** Share of KV blocks in use; 0 for a worker that reports no cache. */
    public double kvUsage() {
        return kvBlocksTotal == 0 ? 0 : (double) kvBlocksUsed / kvBlocksTotal;
    }

    public double utilisation(UtilisationCaps caps) {
        return Math.max(waitingRequests / caps.queueCap(), kvUsage() / caps.kvCap());
    }

    /** A full batch, a full queue or a full cache: more work here can only wait. */
    public boolean atCap(UtilisationCaps caps) {
        return (maxNumSeqs > 0 && runningRequests >= maxNumSeqs) || utilisation(caps) >= 1;
    }

    public int requests() {
        return runningRequests + waitingRequests;
    }
}
