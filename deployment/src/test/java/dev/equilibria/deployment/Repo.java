package dev.equilibria.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files live: the repository root and the paths the checks read. */
final class Repo {

    static final String COMPOSE_FILE = "docker-compose.yml";
    static final String DOCKERFILE = "deploy/docker/Dockerfile";
    static final String DOCKERIGNORE = "deploy/docker/Dockerfile.dockerignore";
    static final String PROMETHEUS_CONFIG = "deploy/prometheus/prometheus.yml";
    static final String GRAFANA_PROVISIONING = "deploy/grafana/provisioning";
    static final String CHART = "helm/equilibria";
    static final String DASHBOARD = CHART + "/dashboards/equilibria.json";
    static final String CHART_README = CHART + "/README.md";
    static final String DEPLOYMENT_README = "deployment/README.md";

    private Repo() {
    }

    /** Set by surefire and failsafe; the module's parent folder when run from an IDE. */
    static Path root() {
        String property = System.getProperty("equilibria.root");
        Path path = property == null || property.isBlank() ? Path.of("..") : Path.of(property);
        return path.toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }
}
