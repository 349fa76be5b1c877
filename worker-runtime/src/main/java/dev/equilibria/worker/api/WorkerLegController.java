package dev.equilibria.worker.api;

import dev.equilibria.protocol.worker.DecodeRequest;
import dev.equilibria.protocol.worker.GeneratedToken;
import dev.equilibria.protocol.worker.PrefillRequest;
import dev.equilibria.protocol.worker.PrefillResult;
import dev.equilibria.protocol.worker.WorkerPaths;
import dev.equilibria.worker.host.HostedWorker;
import dev.equilibria.worker.host.WorkerHost;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The HTTP legs the gateway calls: prefill a prompt, then decode it on (usually) another worker. */
@RestController
public class WorkerLegController {

    private final WorkerHost host;

    public WorkerLegController(WorkerHost host) {
        this.host = host;
    }

    @PostMapping(path = WorkerPaths.PREFILL, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<PrefillResult> prefill(@PathVariable String workerId, @RequestBody PrefillRequest request) {
        requireTokens(request.requestId(), request.promptTokenIds());
        return worker(workerId).prefill(request);
    }

    @PostMapping(path = WorkerPaths.DECODE, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<GeneratedToken>> decode(@PathVariable String workerId,
                                                        @RequestBody DecodeRequest request) {
        requireTokens(request.requestId(), request.promptTokenIds());
        if (request.maxTokens() < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "max_tokens must be at least 1");
        }
        return worker(workerId).decode(request).map(token -> ServerSentEvent.builder(token).build());
    }

    /** The decode worker has the KV: unpin the prefill worker's copy (it stays in the prefix cache). */
    @DeleteMapping(WorkerPaths.HANDOFF)
    public ResponseEntity<Void> releaseHandoff(@PathVariable String workerId, @PathVariable String requestId) {
        return worker(workerId).releaseHandoff(requestId) ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    /** The hosted workers with their role and load, for operators. */
    @GetMapping(path = "/workers", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<WorkerSummary> workers() {
        long now = System.currentTimeMillis();
        return host.workers().stream()
                .map(w -> new WorkerSummary(w.id(), w.role().wireName(), w.draining(), w.load(now)))
                .toList();
    }

    private HostedWorker worker(String workerId) {
        return host.find(workerId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no worker '" + workerId + "' in this process"));
    }

    private static void requireTokens(String requestId, int[] tokens) {
        if (requestId == null || requestId.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "request_id is required");
        }
        if (tokens == null || tokens.length == 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "prompt_token_ids must not be empty");
        }
    }
}
