package dev.equilibria.fleet;

import dev.equilibria.protocol.event.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Polls the services over HTTP until they are ready: {@code /actuator/health} says {@code UP} (the service reached
 * Kafka), and the gateway lists a model (it heard the workers' heartbeats). Fails fast when a process dies.
 */
public final class HealthWaiter {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Duration pollInterval;

    public HealthWaiter() {
        this(DEFAULT_POLL_INTERVAL);
    }

    public HealthWaiter(Duration pollInterval) {
        this.client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        this.pollInterval = pollInterval;
    }

    /** What one HTTP request returned: a status and a body, or the reason there was no answer. */
    public record Answer(int status, String body, String error) {

        static Answer failed(String error) {
            return new Answer(0, "", error);
        }

        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            if (error != null) {
                return error;
            }
            String shortBody = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            return "HTTP " + status + " " + shortBody.strip();
        }
    }

    /** One GET with a short timeout; never throws. */
    public Answer get(String url) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return Answer.failed("no answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("interrupted");
        }
    }

    /** True for 200 with {@code "status":"UP"}. */
    public static boolean isUp(Answer answer) {
        if (!answer.ok()) {
            return false;
        }
        try {
            return "UP".equals(EventCodec.mapper().readTree(answer.body()).path("status").asString(""));
        } catch (JacksonException e) {
            return false;
        }
    }

    /** The first model id of an OpenAI {@code /v1/models} answer, if it lists any. */
    public static Optional<String> firstModel(Answer answer) {
        if (!answer.ok()) {
            return Optional.empty();
        }
        try {
            JsonNode data = EventCodec.mapper().readTree(answer.body()).path("data");
            if (!data.isArray() || data.isEmpty()) {
                return Optional.empty();
            }
            String id = data.get(0).path("id").asString("");
            return id.isBlank() ? Optional.empty() : Optional.of(id);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until every process answers its health URL with UP.
     *
     * @param healthUrls each process and its health URL
     * @throws FleetException naming the first process that died, or the ones not healthy in time, with the end of their logs
     */
    public void awaitHealthy(Map<ServiceProcess, String> healthUrls, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<ServiceProcess, Answer> pending = new LinkedHashMap<>();
        healthUrls.keySet().forEach(p -> pending.put(p, Answer.failed("not asked yet")));
        while (!pending.isEmpty()) {
            for (ServiceProcess process : new ArrayList<>(pending.keySet())) {
                requireAlive(process, "before it became healthy");
                Answer answer = get(healthUrls.get(process));
                if (isUp(answer)) {
                    pending.remove(process);
                } else {
                    pending.put(process, answer);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                List<String> messages = new ArrayList<>();
                pending.forEach((process, answer) -> messages.add(process.failureMessage(
                        "was not healthy within " + timeout.toSeconds() + " s (" + healthUrls.get(process)
                                + " answered: " + answer + ")")));
                throw new FleetException(String.join(System.lineSeparator() + System.lineSeparator(), messages));
            }
            sleep();
        }
    }

    /**
     * Waits until the gateway lists a model, which it does once it has heard a worker's heartbeat.
     *
     * @param watched processes whose death ends the wait early (the gateway and the workers)
     * @return the first model id
     */
    public String awaitModel(ServiceProcess gateway, String modelsUrl, List<ServiceProcess> watched, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ServiceProcess process : watched) {
                requireAlive(process, "while the gateway waited for worker heartbeats");
            }
            Answer answer = get(modelsUrl);
            Optional<String> model = firstModel(answer);
            if (model.isPresent()) {
                return model.get();
            }
            if (System.nanoTime() > deadline) {
                String why = answer.status() == 404
                        ? "does not serve " + modelsUrl + " (HTTP 404): this gateway build has no OpenAI models endpoint"
                        : "listed no model at " + modelsUrl + " within " + timeout.toSeconds() + " s, so it has not heard"
                                + " a worker's heartbeat over Kafka (last answer: " + answer + "). Check the"
                                + " prefill-service and decode-service logs next to it";
                throw new FleetException(gateway.failureMessage(why));
            }
            sleep();
        }
    }

    private static void requireAlive(ServiceProcess process, String when) {
        if (!process.isAlive()) {
            throw new FleetException(process.failureMessage(
                    "exited with code " + process.exitCode().orElse(-1) + " " + when));
        }
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("interrupted while waiting for the fleet");
        }
    }
}
