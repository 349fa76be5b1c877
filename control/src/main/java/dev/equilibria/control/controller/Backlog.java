package dev.equilibria.control.controller;

import dev.equilibria.control.regime.PoolState;
import dev.equilibria.control.regime.UtilisationCaps;
import dev.equilibria.control.regime.WorkerState;

/**
 * A pool's waiting work against its free batch slots, from the workers' own reports: each worker's backlog is its
 * waiting requests less its free slots (none with a full cache), so negative where it has room. Workers that announce
 * no batch limit count neither way.
 *
 * @param total the pool's backlog: at most 0 while its free slots can take every waiting request
 * @param stranded requests a router that saw the load would have placed elsewhere. While the pool has room, those
 *                 waiting on a worker without a slot for them (the others have slots); once its waiting requests
 *                 outnumber its free slots, those queued beyond an even share of the backlog: each waits behind work
 *                 that another worker's queue does not hold, and that worker's slots will free while the longer queue
 *                 still waits
 */
record Backlog(int total, int stranded) {

    static Backlog of(PoolState pool, UtilisationCaps caps) {
        int counted = 0;
        int total = 0;
        int[] backlogs = new int[pool.workers().size()];
        for (WorkerState w : pool.workers()) {
            if (w.maxNumSeqs() <= 0) {
                continue;
            }
            int free = w.kvUsage() >= caps.kvCap() ? 0 : Math.max(0, w.maxNumSeqs() - w.runningRequests());
            int backlog = w.waitingRequests() - free;
            backlogs[counted++] = backlog;
            total += backlog;
        }
        // the level a worker's backlog may reach without stranding anything: 0 while the pool has room, else its share
        double level = counted == 0 ? 0 : Math.max(0, (double) total / counted);
        double stranded = 0;
        for (int i = 0; i < counted; i++) {
            stranded += Math.max(0, backlogs[i] - level);
        }
        return new Backlog(total, (int) Math.floor(stranded));
    }

    /** Whether the pool's free slots could take all its waiting requests. */
    boolean hasRoom() {
        return total <= 0;
    }
}
