package dev.equilibria.gateway.metrics;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.routing.config.ResolvedRouterConfig;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.PeerView;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.policy.PolicySettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The router's meters: phase timings, decisions, the KV index, the shared ledger and the live configuration. Names
 * are listed in the module README. Per-worker gauges are refreshed every second.
 */
@Component
public class RoutingMetrics {

    public static final String PHASE = "equilibria.gateway.routing.phase";
    public static final String DECISIONS = "equilibria.gateway.routing.decisions";
    public static final String ORCHESTRATION = "equilibria.gateway.orchestration";
    public static final String AGGREGATED_FALLBACKS = "equilibria.gateway.aggregated.fallbacks";
    public static final String KV_EVENTS = "equilibria.gateway.kv.events";
    public static final String KV_SNAPSHOT_REQUESTS = "equilibria.gateway.kv.snapshot.requests";
    public static final String KV_CACHED_BLOCKS = "equilibria.gateway.kv.cached.blocks";
    public static final String LEDGER_PEERS = "equilibria.gateway.ledger.peers";
    public static final String LEDGER_STALENESS = "equilibria.gateway.ledger.peer.staleness";
    public static final String LEDGER_STALENESS_MAX = "equilibria.gateway.ledger.staleness.max";
    public static final String LEDGER_PROPAGATION = "equilibria.gateway.ledger.delta.propagation";
    public static final String LEDGER_PREFILL_TOKENS = "equilibria.gateway.ledger.prefill.tokens";
    public static final String LEDGER_DECODE_BLOCKS = "equilibria.gateway.ledger.decode.blocks";
    public static final String LEDGER_REQUESTS = "equilibria.gateway.ledger.requests";
    public static final String CONFIG_INFO = "equilibria.gateway.router.config";
    public static final String CONFIG_WEIGHT = "equilibria.gateway.router.overlap.score.weight";
    public static final String CONFIG_TEMPERATURE = "equilibria.gateway.router.temperature";
    public static final String CONFIG_REVISION = "equilibria.gateway.router.config.revision";
    public static final String CONFIG_CHANGES = "equilibria.gateway.router.config.changes";
    public static final String CONFIG_REJECTED = "equilibria.gateway.router.config.rejected";

    /** Routing phases timed per request. */
    public enum Phase {
        TOKENIZE, HASH, LOOKUP, SELECT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final KvIndex index;
    private final LoadLedger ledger;
    private final RouterConfigStore config;
    private final Map<Phase, Timer> phases = new java.util.EnumMap<>(Phase.class);
    private final Timer propagation;
    private final MultiGauge cachedBlocks;
    private final MultiGauge prefillTokens;
    private final MultiGauge decodeBlocks;
    private final MultiGauge requests;
    private final MultiGauge configInfo;
    private final MultiGauge weightGauge;
    private final MultiGauge temperatureGauge;
    private final Set<String> stalenessPeers = ConcurrentHashMap.newKeySet();
    /** Counters hit per request or per event, cached by name and tags. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public RoutingMetrics(MeterRegistry registry, KvIndex index, LoadLedger ledger, RouterConfigStore config) {
        this.registry = registry;
        this.index = index;
        this.ledger = ledger;
        this.config = config;
        for (Phase phase : Phase.values()) {
            phases.put(phase, Timer.builder(PHASE).tag("phase", phase.tag())
                    .description("Router overhead per request, by phase")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(500)).maximumExpectedValue(Duration.ofMillis(100))
                    .register(registry));
        }
        propagation = Timer.builder(LEDGER_PROPAGATION).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .description("Time from a peer replica producing a ledger delta to this replica applying it")
                .register(registry);
        Gauge.builder(LEDGER_PEERS, ledger, l -> l.peers().size())
                .description("Other gateway replicas whose ledger deltas arrive").register(registry);
        Gauge.builder(LEDGER_STALENESS_MAX, ledger, RoutingMetrics::maxStaleness).baseUnit("seconds")
                .description("Age of the stalest live peer's last ledger delta").register(registry);
        Gauge.builder(CONFIG_REVISION, config, c -> c.state().revision())
                .description("Revision of the live router configuration; +1 per change").register(registry);
        cachedBlocks = MultiGauge.builder(KV_CACHED_BLOCKS).description("Blocks the KV index holds per worker")
                .register(registry);
        prefillTokens = MultiGauge.builder(LEDGER_PREFILL_TOKENS)
                .description("In-flight prefill tokens per worker, all replicas").register(registry);
        decodeBlocks = MultiGauge.builder(LEDGER_DECODE_BLOCKS)
                .description("Active decode blocks per worker, all replicas").register(registry);
        requests = MultiGauge.builder(LEDGER_REQUESTS)
                .description("Legs in flight per worker, all replicas").register(registry);
        configInfo = MultiGauge.builder(CONFIG_INFO)
                .description("The policy in force per leg (value 1), with orchestration").register(registry);
        weightGauge = MultiGauge.builder(CONFIG_WEIGHT).description("overlap_score_weight in force per leg")
                .register(registry);
        temperatureGauge = MultiGauge.builder(CONFIG_TEMPERATURE).description("router_temperature in force per leg")
                .register(registry);
        refresh();
    }

    public void phase(Phase phase, long nanos) {
        phases.get(phase).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void decision(WorkerRole leg, String policy) {
        counters.computeIfAbsent(DECISIONS + '/' + leg.wireName() + '/' + policy, key -> Counter.builder(DECISIONS)
                .tag("leg", leg.wireName()).tag("policy", policy)
                .description("Routing decisions, by leg and policy").register(registry)).increment();
    }

    /**
     * How a request was orchestrated: prefill_only, prefill_first, decode_first_remote, decode_first_local or
     * aggregated_fallback.
     */
    public void orchestration(String path) {
        counters.computeIfAbsent(ORCHESTRATION + '/' + path, key -> Counter.builder(ORCHESTRATION).tag("path", path)
                .description("Requests by orchestration path").register(registry)).increment();
    }

    public void aggregatedFallback(String reason) {
        Counter.builder(AGGREGATED_FALLBACKS).tag("reason", reason)
                .description("Requests run aggregated because a pool was empty").register(registry).increment();
    }

    public void kvEvent(String result) {
        counters.computeIfAbsent(KV_EVENTS + '/' + result, key -> Counter.builder(KV_EVENTS).tag("result", result)
                .description("KV events read, by what the index did").register(registry)).increment();
    }

    public void snapshotRequested() {
        Counter.builder(KV_SNAPSHOT_REQUESTS).description("kv_snapshot commands sent to workers")
                .register(registry).increment();
    }

    public void ledgerDeltaApplied(long propagationMillis) {
        propagation.record(propagationMillis, TimeUnit.MILLISECONDS);
        for (PeerView peer : ledger.peers()) {
            if (stalenessPeers.add(peer.gatewayId())) {
                String id = peer.gatewayId();
                Gauge.builder(LEDGER_STALENESS, ledger, l -> staleness(l, id)).tag("peer", id).baseUnit("seconds")
                        .description("Now minus the timestamp of the peer's last ledger delta applied")
                        .register(registry);
            }
        }
    }

    public void configChanged(String source) {
        Counter.builder(CONFIG_CHANGES).tag("source", source).description("Router configuration changes")
                .register(registry).increment();
        refreshConfig();
    }

    public void configRejected(String source) {
        Counter.builder(CONFIG_REJECTED).tag("source", source).description("Router configuration updates refused")
                .register(registry).increment();
    }

    @Scheduled(fixedDelay = 1000)
    public void refresh() {
        List<MultiGauge.Row<?>> blocks = new ArrayList<>();
        index.blockCounts().forEach((id, n) -> blocks.add(MultiGauge.Row.of(Tags.of("worker", id), n)));
        cachedBlocks.register(blocks, true);
        List<MultiGauge.Row<?>> prefill = new ArrayList<>();
        List<MultiGauge.Row<?>> decode = new ArrayList<>();
        List<MultiGauge.Row<?>> inflight = new ArrayList<>();
        Map<String, WorkerLoad> loads = ledger.snapshot();
        loads.forEach((id, load) -> {
            prefill.add(MultiGauge.Row.of(Tags.of("worker", id), load.prefillTokens()));
            decode.add(MultiGauge.Row.of(Tags.of("worker", id), load.decodeBlocks()));
            inflight.add(MultiGauge.Row.of(Tags.of("worker", id), load.requests()));
        });
        prefillTokens.register(prefill, true);
        decodeBlocks.register(decode, true);
        requests.register(inflight, true);
        refreshConfig();
    }

    private void refreshConfig() {
        ResolvedRouterConfig effective = config.effective();
        List<MultiGauge.Row<?>> info = new ArrayList<>();
        List<MultiGauge.Row<?>> weights = new ArrayList<>();
        List<MultiGauge.Row<?>> temperatures = new ArrayList<>();
        for (WorkerRole leg : List.of(WorkerRole.PREFILL, WorkerRole.DECODE)) {
            PolicySettings s = effective.leg(leg);
            info.add(MultiGauge.Row.of(Tags.of("leg", leg.wireName(), "policy", s.policy(), "orchestration",
                    effective.orchestration().wireName()), 1));
            weights.add(MultiGauge.Row.of(Tags.of("leg", leg.wireName()), s.overlapScoreWeight()));
            temperatures.add(MultiGauge.Row.of(Tags.of("leg", leg.wireName()), s.routerTemperature()));
        }
        configInfo.register(info, true);
        weightGauge.register(weights, true);
        temperatureGauge.register(temperatures, true);
    }

    private static double staleness(LoadLedger ledger, String peerId) {
        return ledger.peers().stream().filter(p -> p.gatewayId().equals(peerId)).findFirst()
                .map(p -> p.staleness().toNanos() / 1e9).orElse(Double.NaN);
    }

    private static double maxStaleness(LoadLedger ledger) {
        return ledger.peers().stream().mapToDouble(p -> p.staleness().toNanos() / 1e9).max().orElse(0);
    }
}
