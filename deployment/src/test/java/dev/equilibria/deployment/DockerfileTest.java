package dev.equilibria.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/docker/Dockerfile, read instruction by instruction: pinned bases, the Spring Boot layer extraction, an
 * unprivileged runtime user, JVM flags from $JAVA_OPTS and a health check. Where a service's executable jar has been
 * built, the Dockerfile's own extract command runs against it and the layers it copies must be the ones it made.
 */
class DockerfileTest {

    private static final List<String> LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    @TempDir
    Path work;

    /** One instruction: keyword and its arguments, continuation lines joined, comments dropped. */
    record Instruction(String keyword, String arguments) {
    }

    static List<Instruction> instructions() {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read(Repo.DOCKERFILE).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                int space = text.indexOf(' ');
                instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
            }
        }
        return instructions;
    }

    /** The instructions of the last stage: the image that runs. */
    static List<Instruction> runtimeStage() {
        List<Instruction> all = instructions();
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    static Optional<Instruction> first(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).findFirst();
    }

    @Test
    void usesBuildKitSyntaxAndPinnedTemurinBases() {
        assertThat(Repo.read(Repo.DOCKERFILE)).startsWith("# syntax=docker/dockerfile:1");
        for (Instruction from : instructions().stream().filter(i -> i.keyword().equals("FROM")).toList()) {
            String image = from.arguments().split("\\s+")[0];
            if (image.equals("scratch") || image.startsWith("jar-")) {
                continue;
            }
            assertThat(image).as("base image").matches("eclipse-temurin:17-(jdk|jre)-noble");
        }
        assertThat(first(runtimeStage(), "FROM").orElseThrow().arguments()).isEqualTo("eclipse-temurin:17-jre-noble");
    }

    @Test
    void buildsTheJarsFromSourceOrTakesTheHostsOnes() {
        List<Instruction> all = instructions();
        assertThat(all.get(0)).isEqualTo(new Instruction("ARG", "JAR_FROM=source"));
        assertThat(all).contains(new Instruction("FROM", "eclipse-temurin:17-jdk-noble AS jar-source"),
                new Instruction("FROM", "scratch AS jar-host"), new Instruction("FROM", "jar-${JAR_FROM} AS jar"));
        String build = all.stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains("./mvnw"))
                .findFirst().orElseThrow().arguments();
        assertThat(build).contains("--mount=type=cache,target=/root/.m2").contains("-DskipTests package")
                .contains("-pl " + String.join(",", FleetService.ALL.stream().map(FleetService::name).toList()) + " -am");
        String validation = all.stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains("case"))
                .findFirst().orElseThrow().arguments();
        assertThat(validation).contains(String.join("|", FleetService.ALL.stream().map(FleetService::name).toList()));
    }

    @Test
    void runsAsAnUnprivilegedUserWithJvmFlagsFromTheEnvironment() {
        List<Instruction> runtime = runtimeStage();

        assertThat(runtime).anySatisfy(i -> assertThat(i.arguments()).contains("useradd --system --uid 10001"));
        Instruction user = first(runtime, "USER").orElseThrow();
        assertThat(user.arguments()).isEqualTo("10001:10001");
        assertThat(runtime.indexOf(user)).as("USER after the files are copied")
                .isGreaterThan(runtime.indexOf(runtime.stream().filter(i -> i.keyword().equals("COPY"))
                        .reduce((a, b) -> b).orElseThrow()));
        assertThat(runtime).anySatisfy(i -> assertThat(i.keyword() + " " + i.arguments())
                .startsWith("ENV ").contains("JAVA_OPTS=").contains("SERVER_PORT=${SERVER_PORT}"));
        String entrypoint = first(runtime, "ENTRYPOINT").orElseThrow().arguments();
        assertThat(entrypoint).startsWith("[\"sh\", \"-c\", \"exec java $JAVA_OPTS ")
                .contains("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(runtime).noneMatch(i -> i.keyword().equals("CMD"));
    }

    @Test
    void checksItsOwnReadiness() {
        Instruction healthcheck = first(runtimeStage(), "HEALTHCHECK").orElseThrow();

        assertThat(healthcheck.arguments()).contains("--interval=").contains("--start-period=")
                .contains("CMD curl -fsS").contains("http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness");
    }

    @Test
    void copiesTheBootLayersFromLeastToMostOftenChanged() {
        List<String> copied = runtimeStage().stream()
                .filter(i -> i.keyword().equals("COPY") && i.arguments().startsWith("--from=layers"))
                .map(i -> i.arguments().split("\\s+")[1]).toList();

        assertThat(copied).containsExactlyElementsOf(
                LAYERS.stream().map(layer -> "/build/extracted/" + layer + "/").toList());
        assertThat(extractCommand()).isEqualTo(
                "java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted");
    }

    @Test
    void theDockerignoreKeepsBuildOutputOutButTheExecutableJarsIn() {
        List<String> lines = Repo.read(Repo.DOCKERIGNORE).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        assertThat(lines).contains(".git", ".fleet", "**/target");
        for (FleetService service : FleetService.ALL) {
            assertThat(lines).contains("!" + service.name() + "/target/" + service.name() + "-*-exec.jar");
        }
    }

    /**
     * Runs the Dockerfile's extract command on a service's executable jar, where one has been built
     * ({@code ./mvnw package}); the four layers the Dockerfile copies must come out, with the launcher its
     * ENTRYPOINT starts.
     */
    @Test
    void theExtractCommandProducesTheLayersTheDockerfileCopies() throws Exception {
        Optional<Path> jar = Optional.empty();
        for (FleetService service : FleetService.ALL) {
            jar = jar.isPresent() ? jar : executableJar(service.name());
        }
        assumeTrue(jar.isPresent(), "no service's executable jar is built (./mvnw -pl gateway-service -am package)");
        Files.copy(jar.get(), work.resolve("app.jar"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(extractCommand().split(" ")));
        command.set(0, java);

        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Path extracted = work.resolve("extracted");
        try (Stream<Path> layers = Files.list(extracted)) {
            assertThat(layers.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(LAYERS);
        }
        String launcher;
        try (JarFile file = new JarFile(jar.get().toFile())) {
            launcher = file.getManifest().getMainAttributes().getValue("Main-Class");
        }
        assertThat(first(runtimeStage(), "ENTRYPOINT").orElseThrow().arguments()).contains(launcher);
        assertThat(extracted.resolve("spring-boot-loader/" + launcher.replace('.', '/') + ".class")).exists();
        Manifest manifest;
        try (InputStream in = Files.newInputStream(extracted.resolve("application/META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        assertThat(manifest.getMainAttributes().getValue("Start-Class")).startsWith("dev.equilibria.");
        assertThat(extracted.resolve("application/BOOT-INF/classes")).isDirectory();
        try (Stream<Path> libs = Files.list(extracted.resolve("dependencies/BOOT-INF/lib"))) {
            assertThat(libs.count()).isPositive();
        }
    }

    private static String extractCommand() {
        return instructions().stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains("jarmode"))
                .findFirst().orElseThrow().arguments();
    }

    private static Optional<Path> executableJar(String service) throws IOException {
        Path target = Repo.path(service + "/target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(service + "-.*-exec\\.jar")).findFirst();
        }
    }
}
