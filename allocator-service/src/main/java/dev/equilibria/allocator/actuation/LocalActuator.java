package dev.equilibria.allocator.actuation;

import dev.equilibria.control.game.Pool;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.protocol.event.WorkerLoad;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.service.kafka.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves workers between pools of a fixed fleet by role commands ({@code set_role} on
 * {@code equilibria.worker-commands}): the worker drains its in-flight work, switches, and announces the new role
 * in its heartbeats. One worker per step, the least loaded of the shrinking pool (fewest running plus waiting
 * requests, then fewest KV blocks in use, then the smallest prefill backlog), and no next step until the moved
 * worker's heartbeat shows its new role, or {@code actuation-timeout} passes (logged as an error, then given up). A
 * decision that moves several workers is carried out as that many steps. It cannot add or remove workers, so a
 * decision that changes the total is refused.
 */
public final class LocalActuator implements Actuator {

    public static final String NAME = "local";
    /** {@code issued_by} of the commands. */
    public static final String ISSUER = "allocator-service";

    private static final Logger log = LoggerFactory.getLogger(LocalActuator.class);

    private record Switch(String workerId, WorkerRole from, WorkerRole to, Instant issuedAt, String commandId) {
    }

    private final EventPublisher publisher;
    private final Duration timeout;
    private final Counter commands;
    private final Counter timeouts;
    private Switch pending;
    /** The split the last decision asked for, while steps toward it remain. */
    private Split goal;

    public LocalActuator(EventPublisher publisher, Duration timeout, MeterRegistry registry) {
        this.publisher = publisher;
        this.timeout = timeout;
        this.commands = Counter.builder("equilibria.allocator.role.commands")
                .description("set_role commands sent to workers").register(registry);
        this.timeouts = Counter.builder("equilibria.allocator.actuation.timeouts")
                .description("Actuations that did not show in the heartbeats within actuation-timeout")
                .tag("actuator", NAME).register(registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized Actuation apply(Split current, Split next, FleetState fleet, Instant now) {
        if (pending != null) {
            return Actuation.refused("worker " + pending.workerId() + " is still switching to "
                    + pending.to().wireName());
        }
        if (current.equals(next)) {
            return Actuation.refused("nothing to move");
        }
        if (current.total() != next.total()) {
            return Actuation.refused("the local actuator moves workers between pools and cannot add or remove "
                    + "workers (" + current + " -> " + next + ")");
        }
        Actuation first = flipOne(current, next, fleet, now);
        if (first.started()) {
            goal = next;
        }
        return first;
    }

    /** Sends {@code set_role} to the least-loaded worker of the pool that is above {@code target}. */
    private Actuation flipOne(Split current, Split target, FleetState fleet, Instant now) {
        Pool shrink = current.prefillWorkers() > target.prefillWorkers() ? Pool.PREFILL : Pool.DECODE;
        Pool grow = shrink.other();
        Map<String, WorkerLoad> loads = fleet.loadsById();
        Optional<LiveWorker> candidate = fleet.pool(shrink).stream().filter(w -> !w.draining())
                .min(leastLoaded(loads));
        if (candidate.isEmpty()) {
            return Actuation.refused("no live, non-draining " + name(shrink) + " worker to move");
        }
        LiveWorker worker = candidate.get();
        WorkerRole to = grow.role();
        String commandId = UUID.randomUUID().toString();
        publisher.publish(Topics.WORKER_COMMANDS, worker.workerId(), new WorkerCommand(commandId, worker.workerId(),
                WorkerCommand.Type.SET_ROLE, to, ISSUER, now.toEpochMilli()));
        commands.increment();
        pending = new Switch(worker.workerId(), worker.role(), to, now, commandId);
        WorkerLoad load = loads.get(worker.workerId());
        String why = load == null ? "no fresh load report"
                : load.runningRequests() + " running, " + load.waitingRequests() + " waiting, "
                + load.kvBlocksUsed() + " KV blocks";
        log.info("moving worker {} from the {} pool to the {} pool ({} -> {}; least loaded of its pool: {}); "
                        + "command {}", worker.workerId(), name(shrink), name(grow), current, target, why, commandId);
        return Actuation.started("set_role " + to.wireName() + " sent to " + worker.workerId()
                + " (least loaded " + name(shrink) + " worker: " + why + ")");
    }

    @Override
    public synchronized Optional<String> pending(FleetState fleet, Instant now) {
        if (pending == null) {
            return Optional.empty();
        }
        Switch s = pending;
        Duration waited = Duration.between(s.issuedAt(), now);
        Optional<LiveWorker> worker = fleet.worker(s.workerId());
        if (worker.isPresent() && worker.get().role() == s.to()) {
            log.info("worker {} now announces role {} ({} ms after the command)", s.workerId(), s.to().wireName(),
                    waited.toMillis());
            pending = null;
            return continueTowardGoal(fleet, now);
        }
        if (waited.compareTo(timeout) > 0) {
            timeouts.increment();
            log.error("worker {} did not announce role {} within {} s of set_role command {} ({}); giving up on "
                            + "this step. Check that the worker reads {} and look for errors in its log.",
                    s.workerId(), s.to().wireName(), timeout.toSeconds(), s.commandId(),
                    worker.map(w -> "it still announces " + w.role().wireName()
                            + (w.draining() ? " and is draining" : "")).orElse("no heartbeat from it"),
                    Topics.WORKER_COMMANDS);
            pending = null;
            goal = null;
            return Optional.empty();
        }
        return Optional.of("worker " + s.workerId() + " switching from " + s.from().wireName() + " to "
                + s.to().wireName() + " for " + waited.toSeconds() + " s"
                + (worker.isEmpty() ? " (no heartbeat right now)" : ""));
    }

    /**
     * A decision that moves several workers (a forced move, or {@code max-step} above 1) is realised one worker at a
     * time: once a switch shows, the next one starts, until the fleet shows the decision's split.
     */
    private Optional<String> continueTowardGoal(FleetState fleet, Instant now) {
        Split seen = fleet.split();
        if (goal == null || seen.equals(goal)) {
            goal = null;
            return Optional.empty();
        }
        if (seen.total() != goal.total()) {
            log.warn("stopping the move toward {}: the fleet now shows {} (a worker came or went)", goal, seen);
            goal = null;
            return Optional.empty();
        }
        Actuation next = flipOne(seen, goal, fleet, now);
        if (!next.started()) {
            log.warn("stopping the move toward {} at {}: {}", goal, seen, next.description());
            goal = null;
            return Optional.empty();
        }
        return Optional.of("next step toward " + goal + ": " + next.description());
    }

    /** Fewest requests in flight, then fewest KV blocks, then the smallest prefill backlog; unreported ones last. */
    static Comparator<LiveWorker> leastLoaded(Map<String, WorkerLoad> loads) {
        Comparator<LiveWorker> unreportedLast = Comparator.comparing(w -> !loads.containsKey(w.workerId()));
        return unreportedLast
                .thenComparingLong(w -> metric(loads.get(w.workerId()), l -> (long) l.runningRequests()
                        + l.waitingRequests()))
                .thenComparingLong(w -> metric(loads.get(w.workerId()), l -> (long) l.kvBlocksUsed()))
                .thenComparingLong(w -> metric(loads.get(w.workerId()), WorkerLoad::waitingPrefillTokens))
                .thenComparing(LiveWorker::workerId);
    }

    private static long metric(WorkerLoad load, java.util.function.ToLongFunction<WorkerLoad> f) {
        return load == null ? Long.MAX_VALUE : f.applyAsLong(load);
    }

    private static String name(Pool pool) {
        return pool.name().toLowerCase(Locale.ROOT);
    }

    /** For tests and the admin view: the worker being switched, if any. */
    public synchronized Optional<String> switching() {
        return Optional.ofNullable(pending).map(Switch::workerId);
    }
}
