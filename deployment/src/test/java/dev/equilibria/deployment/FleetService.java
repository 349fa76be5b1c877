package dev.equilibria.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One of the five Spring Boot services as the deployments must run it. The port is read from the service's own
 * application.yml, so compose, the chart and the images are checked against what the service really listens on.
 *
 * @param name      Spring application and image name, e.g. {@code gateway-service}
 * @param component the chart's name for it, e.g. {@code gateway}
 * @param worker    whether it hosts engine workers (prefill, decode)
 */
record FleetService(String name, String component, boolean worker) {

    static final List<FleetService> ALL = List.of(
            new FleetService("gateway-service", "gateway", false),
            new FleetService("prefill-service", "prefill", true),
            new FleetService("decode-service", "decode", true),
            new FleetService("allocator-service", "allocator", false),
            new FleetService("monitor-service", "monitor", false));

    /** {@code server.port} of the service's application.yml. */
    int port() {
        JsonNode yml = Yamls.load(Repo.path(name + "/src/main/resources/application.yml"));
        JsonNode port = yml.at("/server/port");
        if (!port.canConvertToInt()) {
            throw new IllegalStateException(name + "/src/main/resources/application.yml has no numeric server.port");
        }
        return port.asInt();
    }

    static FleetService byComponent(String component) {
        return ALL.stream().filter(s -> s.component.equals(component)).findFirst().orElseThrow();
    }
}
