package dev.equilibria.gateway.admin;

import dev.equilibria.gateway.api.RouterOverrideParser;
import dev.equilibria.gateway.config.GatewayProperties;
import dev.equilibria.gateway.error.ApiException;
import dev.equilibria.gateway.metrics.RoutingMetrics;
import dev.equilibria.gateway.routing.BackgroundPublisher;
import dev.equilibria.gateway.routing.DrainedWorkers;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.EventCodec;
import dev.equilibria.protocol.event.WorkerCommand;
import dev.equilibria.routing.config.RouterConfig;
import dev.equilibria.routing.config.RouterConfigLayers;
import dev.equilibria.routing.config.RouterConfigStore;
import dev.equilibria.routing.index.KvEventIndex;
import dev.equilibria.routing.index.KvIndex;
import dev.equilibria.routing.ledger.LoadLedger;
import dev.equilibria.routing.ledger.PeerView;
import dev.equilibria.routing.ledger.TrafficWindow;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.policy.InvalidSettingException;
import dev.equilibria.routing.policy.RoutingWeights;
import dev.equilibria.routing.policy.WorkerSelectors;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.WorkerRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's admin API under {@code /admin} (bearer token, see service-support's admin filter): the live router
 * configuration, the workers as this gateway sees them, drain and undrain. Invalid input is an RFC 7807 problem and
 * changes nothing. The configuration here is this replica's; fleet-wide changes travel as router-config events.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin", description = "Router configuration, workers, drain")
@SecurityRequirement(name = AdminOpenApi.BEARER)
public class AdminController {

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);

    /** The precedence of configuration layers, lowest first, as the admin API reports it. */
    static final List<String> PRECEDENCE = List.of("defaults", "base (startup properties, replaced by PUT)",
            "fleet_override (router-config events)", "x-router-* request headers",
            "router_config_override request body field");

    private final RouterConfigStore config;
    private final RouterOverrideParser parser;
    private final WorkerRegistry registry;
    private final KvIndex index;
    private final LoadLedger ledger;
    private final TrafficWindow traffic;
    private final RoutingWeights weights;
    private final DrainedWorkers drained;
    private final BackgroundPublisher publisher;
    private final RoutingMetrics metrics;
    private final InstantSource clock;
    private final String gatewayId;
    private final dev.equilibria.gateway.routing.WorkerCircuitBreakers breakers;

    public AdminController(RouterConfigStore config, RouterOverrideParser parser, WorkerRegistry registry,
                           KvIndex index, LoadLedger ledger, TrafficWindow traffic, RoutingWeights weights,
                           DrainedWorkers drained, BackgroundPublisher publisher, RoutingMetrics metrics,
                           InstantSource clock, GatewayProperties properties,
                           dev.equilibria.gateway.routing.WorkerCircuitBreakers breakers) {
        this.breakers = breakers;
        this.config = config;
        this.parser = parser;
        this.registry = registry;
        this.index = index;
        this.ledger = ledger;
        this.traffic = traffic;
        this.weights = weights;
        this.drained = drained;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.gatewayId = properties.id();
    }

    @GetMapping("/router-config")
    @Operation(summary = "The router configuration in force",
            description = "The base layer, the fleet override, the effective configuration per leg, the precedence"
                    + " of layers and the registered policies.")
    public Map<String, Object> routerConfig() {
        return configView(config.state());
    }

    @PutMapping(path = "/router-config", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace the base router configuration",
            description = "Validated whole before anything changes. Clears the fleet override so the change takes"
                    + " effect at once; later router-config events apply on top again. Unset fields take the"
                    + " policies' defaults.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RouterConfigDocument.class))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "the new configuration"),
                    @ApiResponse(responseCode = "400", description = "invalid input, nothing applied",
                            content = @Content(mediaType = "application/problem+json"))})
    public Map<String, Object> replaceRouterConfig(@RequestBody(required = false) String body) {
        RouterConfig parsed = parseConfig(body);
        RouterConfigStore.State state;
        try {
            state = config.replaceBase(parsed);
        } catch (InvalidSettingException e) {
            metrics.configRejected("admin");
            throw new AdminProblem(HttpStatus.BAD_REQUEST, "Invalid router configuration", e.getMessage(),
                    e.field());
        }
        metrics.configChanged("admin");
        log.info("admin replaced the router base configuration: {}", RouterConfigJson.layer(parsed));
        return configView(state);
    }

    @DeleteMapping("/router-config/fleet-override")
    @Operation(summary = "Drop the fleet-wide override", description = "Back to the base configuration.")
    public Map<String, Object> clearFleetOverride() {
        RouterConfigStore.State state = config.clearFleetOverride();
        metrics.configChanged("admin");
        return configView(state);
    }

    @GetMapping("/workers")
    @Operation(summary = "Live workers as this gateway sees them",
            description = "Role, draining, in-flight load from the shared ledger (all replicas) and this replica's"
                    + " share, blocks in the KV index, share of its model's legs this replica sent it in the last"
                    + " minute, routing weight.")
    public List<Map<String, Object>> workers() {
        List<LiveWorker> live = registry.live();
        Map<String, Double> prefillShare = sharesByModel(live, traffic.counts(WorkerRole.PREFILL));
        Map<String, Double> decodeShare = sharesByModel(live, traffic.counts(WorkerRole.DECODE));
        List<Map<String, Object>> views = new ArrayList<>();
        for (LiveWorker w : live) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("worker_id", w.workerId());
            view.put("role", w.role().wireName());
            view.put("model", w.model());
            view.put("endpoint", w.endpoint());
            view.put("draining", w.draining());
            view.put("drained_here", drained.contains(w.workerId()));
            view.put("circuit_breaker", breakers.state(w.workerId()));
            view.put("load", load(ledger.load(w.workerId())));
            view.put("local_load", load(ledger.localLoad(w.workerId())));
            view.put("cached_blocks", index.cachedBlocks(w.workerId()));
            if (index instanceof KvEventIndex events) {
                view.put("kv_index_synced", events.synced(w.workerId()).orElse(false));
                view.put("kv_last_seq", events.lastSeq(w.workerId()));
            }
            view.put("traffic_share", Map.of("prefill", prefillShare.getOrDefault(w.workerId(), 0.0),
                    "decode", decodeShare.getOrDefault(w.workerId(), 0.0)));
            view.put("routing_weight", weights.weight(w.workerId()));
            view.put("capacity", Map.of("max_num_seqs", w.capacity().maxNumSeqs(), "max_num_batched_tokens",
                    w.capacity().maxNumBatchedTokens(), "kv_blocks", w.capacity().kvBlocks(), "block_size",
                    w.capacity().blockSize(), "max_model_len", w.capacity().maxModelLen()));
            views.add(view);
        }
        return views;
    }

    @GetMapping("/ledger")
    @Operation(summary = "The shared load ledger",
            description = "This replica's id, the peers whose deltas it applies with their staleness, and the"
                    + " fleet's in-flight load per worker.")
    public Map<String, Object> ledgerView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("gateway_id", gatewayId);
        List<Map<String, Object>> peers = new ArrayList<>();
        for (PeerView peer : ledger.peers()) {
            peers.add(Map.of("gateway_id", peer.gatewayId(), "last_seq", peer.lastSeq(), "staleness_ms",
                    peer.staleness().toMillis(), "workers", peer.workers()));
        }
        view.put("peers", peers);
        Map<String, Object> loads = new LinkedHashMap<>();
        ledger.snapshot().forEach((id, load) -> loads.put(id, load(load)));
        view.put("workers", loads);
        return view;
    }

    @PostMapping("/workers/{workerId}/drain")
    @Operation(summary = "Drain a worker",
            description = "Stops routing to it here at once and sends it a drain command on Kafka; in-flight work"
                    + " finishes.",
            responses = {@ApiResponse(responseCode = "202", description = "drain under way"),
                    @ApiResponse(responseCode = "404", description = "no such live worker",
                            content = @Content(mediaType = "application/problem+json"))})
    public ResponseEntity<Map<String, Object>> drain(@Parameter(description = "worker id") @PathVariable
                                                     String workerId) {
        return command(workerId, WorkerCommand.Type.DRAIN);
    }

    @PostMapping("/workers/{workerId}/undrain")
    @Operation(summary = "Undrain a worker", description = "Routes to it again and sends it an undrain command.",
            responses = {@ApiResponse(responseCode = "202", description = "undrain under way"),
                    @ApiResponse(responseCode = "404", description = "no such live worker",
                            content = @Content(mediaType = "application/problem+json"))})
    public ResponseEntity<Map<String, Object>> undrain(@PathVariable String workerId) {
        return command(workerId, WorkerCommand.Type.UNDRAIN);
    }

    @ExceptionHandler(AdminProblem.class)
    public Mono<Void> problem(AdminProblem problem, ServerWebExchange exchange) {
        return AdminProblems.write(exchange, problem.status(), problem.title(), problem.getMessage(),
                problem.field());
    }

    private ResponseEntity<Map<String, Object>> command(String workerId, WorkerCommand.Type type) {
        if (registry.find(workerId).isEmpty()) {
            throw new AdminProblem(HttpStatus.NOT_FOUND, "Unknown worker", "no live worker '" + workerId
                    + "' (live: " + registry.live().stream().map(LiveWorker::workerId).toList() + ")", "workerId");
        }
        String commandId = "admin-" + UUID.randomUUID();
        if (type == WorkerCommand.Type.DRAIN) {
            drained.drain(workerId);
        } else {
            drained.undrain(workerId);
        }
        publisher.publish(Topics.WORKER_COMMANDS, workerId, new WorkerCommand(commandId, workerId, type, null,
                "gateway-admin:" + gatewayId, clock.millis()));
        log.info("admin: {} worker {} (command {})", type.wireName(), workerId, commandId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", workerId);
        body.put("command", type.wireName());
        body.put("command_id", commandId);
        body.put("drained_here", drained.contains(workerId));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    private RouterConfig parseConfig(String body) {
        if (body == null || body.isBlank()) {
            throw new AdminProblem(HttpStatus.BAD_REQUEST, "Invalid router configuration",
                    "the body is empty; expected a JSON object of router settings", null);
        }
        JsonNode node;
        try {
            node = EventCodec.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new AdminProblem(HttpStatus.BAD_REQUEST, "Invalid JSON", "the body is not valid JSON: "
                    + e.getOriginalMessage(), null);
        }
        try {
            return parser.parse(node, "");
        } catch (ApiException e) {
            throw new AdminProblem(HttpStatus.BAD_REQUEST, "Invalid router configuration", e.getMessage(),
                    e.param());
        }
    }

    private static Map<String, Object> configView(RouterConfigStore.State state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("revision", state.revision());
        view.put("defaults", RouterConfigJson.layer(RouterConfigLayers.DEFAULTS));
        view.put("base", RouterConfigJson.layer(state.base()));
        view.put("fleet_override", state.fleetOverride().isEmpty() ? null
                : RouterConfigJson.layer(state.fleetOverride()));
        view.put("fleet_override_source", state.overrideSource());
        view.put("effective", RouterConfigJson.resolved(state.effective()));
        view.put("precedence", PRECEDENCE);
        List<Map<String, Object>> policies = new ArrayList<>();
        WorkerSelectors.descriptors().forEach(d -> policies.add(Map.of("name", d.name(), "parameters",
                d.parameters(), "summary", d.summary())));
        view.put("policies", policies);
        return view;
    }

    /** Each live worker's fraction of the dispatches to its model's workers. */
    private static Map<String, Double> sharesByModel(List<LiveWorker> live, Map<String, Long> counts) {
        Map<String, Map<String, Long>> byModel = new LinkedHashMap<>();
        for (LiveWorker w : live) {
            byModel.computeIfAbsent(w.model(), m -> new LinkedHashMap<>()).put(w.workerId(),
                    counts.getOrDefault(w.workerId(), 0L));
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        byModel.values().forEach(model -> {
            if (model.values().stream().mapToLong(Long::longValue).sum() > 0) {
                shares.putAll(TrafficWindow.shares(model));
            }
        });
        return shares;
    }

    private static Map<String, Object> load(WorkerLoad load) {
        return Map.of("prefill_tokens", load.prefillTokens(), "decode_blocks", load.decodeBlocks(), "requests",
                load.requests());
    }
}
