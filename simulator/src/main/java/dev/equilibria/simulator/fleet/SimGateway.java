package dev.equilibria.simulator.fleet;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.KvEvent;
import dev.equilibria.protocol.event.LedgerDelta;
import dev.equilibria.protocol.event.RouterConfigOverride;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.Reservation;
import dev.equilibria.routing.orchestration.LegRouter;
import dev.equilibria.routing.orchestration.RouteRequest;
import dev.equilibria.routing.orchestration.RoutedLeg;
import dev.equilibria.routing.policy.PolicySettings;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.registry.LiveWorker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One gateway replica in the simulator: the production {@link LegRouter} over its own KV index and load ledger, and
 * the production {@link RouterConfigStore} for its settings: the prefill and decode legs' settings as the base,
 * fleet-wide overrides folded on top as a live gateway folds them.
 */
final class SimGateway {

    private final String id;
    private final LegRouter router;
    private final LoadLedger ledger;
    private final KvEventIndex index;
    private final boolean countsDispatches;
    private final RouterConfigStore config;

    SimGateway(String id, InstantSource clock, RandomGenerator random, PolicySettings prefillSettings,
               PolicySettings decodeSettings, RouterView view) {
        this.id = id;
        this.index = new KvEventIndex(clock);
        Duration peerTtl = view.kind() == RouterView.Kind.POLLED ? view.pollInterval().multipliedBy(3)
                : LoadLedger.DEFAULT_PEER_TTL;
        this.ledger = new LoadLedger(id, clock, peerTtl, LoadLedger.DEFAULT_KEEPALIVE_INTERVAL);
        this.router = new LegRouter(index, ledger, new RoutingWeights(), random, () -> 0L, clock);
        this.countsDispatches = view.kind() == RouterView.Kind.LEDGER;
        this.config = new RouterConfigStore(new RouterConfig(null, prefillSettings, decodeSettings, null, null));
    }

    String id() {
        return id;
    }

    RoutedLeg route(WorkerRole leg, RouteRequest request, List<LiveWorker> candidates) {
        return router.route(leg, request, candidates, config.effective().leg(leg));
    }

    /** Counts a leg in this replica's ledger; nothing when the router only sees polled metrics. */
    Optional<Reservation> reserve(RoutedLeg routed, RouteRequest request, boolean prefills, boolean decodes) {
        return countsDispatches ? Optional.of(router.reserve(routed, request, prefills, decodes)) : Optional.empty();
    }

    void onKvEvent(KvEvent event) {
        index.apply(event);
    }

    /** This replica's pending ledger change for its peers, if any. */
    Optional<LedgerDelta> nextDelta() {
        return ledger.nextDelta();
    }

    void onPeerDelta(LedgerDelta delta) {
        ledger.apply(delta);
    }

    /** Fleet-wide override, applied to both legs as the live gateway does. */
    void apply(RouterConfigOverride override) {
        config.applyFleetOverride(override);
    }

    /** {@code refuse_when_full}: legs ask full workers to refuse them (see {@code LegAttempts}). */
    boolean refuseWhenFull() {
        return config.effective().refuseWhenFull();
    }

    PolicySettings prefillSettings() {
        return config.effective().prefill();
    }
}
