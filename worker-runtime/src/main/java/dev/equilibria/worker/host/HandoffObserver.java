package dev.equilibria.worker.host;

import dev.equilibria.protocol.worker.KvHandoff;

/** Told when a decode worker has received a handoff's KV; called on the engine thread, must not block. */
@FunctionalInterface
public interface HandoffObserver {

    void kvReceived(HostedWorker receiver, String requestId, KvHandoff handoff, long transferNanos);
}
