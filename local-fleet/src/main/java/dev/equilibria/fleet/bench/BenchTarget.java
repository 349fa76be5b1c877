package dev.equilibria.fleet.bench;

import dev.equilibria.fleet.FleetException;
import dev.equilibria.fleet.FleetLayout;
import dev.equilibria.fleet.HealthWaiter;
import dev.equilibria.fleet.PidFile;
import dev.equilibria.fleet.ServiceSpec;
import dev.equilibria.protocol.event.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The gateway a run talks to: its URL, model and admin token, given on the command line or read from the fleet
 * {@code ./fleet up} started (its pid file lists the gateway's port, its home the admin token).
 */
public record BenchTarget(String gatewayUrl, String model, Optional<String> adminToken) {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param root the repository root, where the default fleet home is
     * @throws FleetException when no URL is given and no fleet runs, or the gateway lists no model
     */
    public static BenchTarget resolve(BenchOptions options, Path root) {
        FleetLayout layout = options.home().map(home -> new FleetLayout(root, home)).orElseGet(() -> FleetLayout.of(root));
        String url = options.url().orElseGet(() -> gatewayFromFleet(layout));
        Optional<String> token = options.adminToken().or(() -> readToken(layout.adminTokenFile()));
        String model = options.model().orElseGet(() -> {
            HealthWaiter.Answer answer = new HealthWaiter().get(url + "/v1/models");
            return HealthWaiter.firstModel(answer).orElseThrow(() -> new FleetException("the gateway at " + url
                    + " lists no model (" + answer + "); wait until the workers' heartbeats reached it, or pass --model"));
        });
        return new BenchTarget(url, model, token);
    }

    private static String gatewayFromFleet(FleetLayout layout) {
        PidFile pids = new PidFile(layout.pidFile());
        return pids.alive().stream().filter(e -> e.name().equals(ServiceSpec.GATEWAY) && !e.ports().isEmpty())
                .findFirst().map(e -> "http://127.0.0.1:" + e.ports().get(0))
                .orElseThrow(() -> new FleetException("no running fleet in " + layout.home() + " (no live "
                        + ServiceSpec.GATEWAY + " in " + layout.pidFile() + "). Start one with ./fleet up --detach,"
                        + " or name a gateway with --url."));
    }

    private static Optional<String> readToken(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).trim()).filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The gateway's {@code GET /admin/router-config}, or empty without a token or on any failure. */
    public Optional<JsonNode> routerConfig(HttpClient http) {
        if (adminToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/admin/router-config"))
                    .timeout(ADMIN_TIMEOUT).header("Authorization", "Bearer " + adminToken.get()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(EventCodec.mapper().readTree(response.body()))
                    : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
