package dev.equilibria.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a local fleet keeps its state: the repository it runs from, and its home folder (by default the
 * git-ignored {@code .fleet/} at the repository root) holding logs, pids, the admin token and Kafka's storage.
 *
 * @param root the repository root, where the service modules' {@code target/} folders are
 * @param home the fleet's state folder
 */
public record FleetLayout(Path root, Path home) {

    /** The home folder's name under the repository root. */
    public static final String DEFAULT_HOME = ".fleet";

    public FleetLayout {
        root = root.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
    }

    /** The default layout: {@code <root>/.fleet}. */
    public static FleetLayout of(Path root) {
        return new FleetLayout(root, root.resolve(DEFAULT_HOME));
    }

    public Path logs() {
        return home.resolve("logs");
    }

    /** The log of one process: {@code logs/<name>.log}. */
    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    /** The processes of a running fleet, so that {@code down} can stop a detached one. */
    public Path pidFile() {
        return home.resolve("pids");
    }

    public Path adminTokenFile() {
        return home.resolve("admin-token");
    }

    /** The broker's configuration, cluster id and storage. */
    public Path kafkaDirectory() {
        return home.resolve("kafka");
    }

    /** Held by the launcher while it starts (and, in the foreground, runs) a fleet. */
    public Path lockFile() {
        return home.resolve("lock");
    }

    /** Creates the home (owner-only where the file system allows it, since it holds the admin token) and the logs folder. */
    public void create() {
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home);
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
                }
            }
            Files.createDirectories(logs());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the fleet folder " + home, e);
        }
    }
}
