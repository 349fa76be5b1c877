package dev.equilibria.fleet;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds the command lines of the fleet's child JVMs, run with the same Java as the launcher. */
public final class JavaCommand {

    /**
     * Local-run flags for the services (STACK.md, "Fleet footprint"): five JVMs on a laptop start in about half
     * the time and a third of the memory. {@code EQUILIBRIA_JAVA_OPTS} comes after them, so it can override.
     */
    public static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");

    /** The broker keeps more on its heap; {@code EQUILIBRIA_KAFKA_JAVA_OPTS} comes after these. */
    public static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=64m", "-Djava.awt.headless=true");

    public static final String ENV_SERVICE_OPTIONS = "EQUILIBRIA_JAVA_OPTS";
    public static final String ENV_BROKER_OPTIONS = "EQUILIBRIA_KAFKA_JAVA_OPTS";

    private JavaCommand() {
    }

    /** The {@code java} of the JVM running the launcher. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java <local flags> <EQUILIBRIA_JAVA_OPTS> -jar <jar>}. */
    public static List<String> service(Path executableJar, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(splitOptions(env.get(ENV_SERVICE_OPTIONS)));
        command.add("-jar");
        command.add(executableJar.toAbsolutePath().toString());
        return command;
    }

    /** {@code java <jvm options> -cp <the launcher's class path> <main class> <args>}. */
    public static List<String> main(String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable().toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(ownClassPath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The launcher's class path with absolute entries, so children started in another folder still find it; when
     * started with {@code java -jar}, that jar's manifest {@code Class-Path} brings the dependencies along.
     */
    public static String ownClassPath() {
        String classPath = System.getProperty("java.class.path", "");
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Splits a JVM options variable on white space; unset or blank gives no options. */
    public static List<String> splitOptions(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.trim().split("\\s+")).toList();
    }
}
