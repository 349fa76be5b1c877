package dev.equilibria.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The processes of a running fleet, one line each ({@code name pid start-epoch-ms port,port}), so that
 * {@code ./fleet down} can stop a fleet a previous launcher started. The start time guards against a reused pid.
 */
public final class PidFile {

    /** The launcher itself, listed while a fleet runs in the foreground. */
    public static final String LAUNCHER = "launcher";
    /** The local broker. */
    public static final String KAFKA = "kafka";

    /** Process start times read twice may differ by the clock tick the operating system reports them in. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    private final Path file;

    public PidFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * One process of the fleet.
     *
     * @param startEpochMs when it started, 0 when the system did not say
     */
    public record Entry(String name, long pid, long startEpochMs, List<Integer> ports) {

        public Entry {
            if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bad process name '" + name + "'");
            }
            ports = List.copyOf(ports);
        }

        public static Entry of(String name, ProcessHandle handle, List<Integer> ports) {
            long start = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            return new Entry(name, handle.pid(), start, ports);
        }

        /** The live process this entry describes; empty when it ended or the pid now belongs to another process. */
        public Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
        }

        private boolean sameStart(ProcessHandle handle) {
            if (startEpochMs == 0) {
                return true;
            }
            return handle.info().startInstant()
                    .map(start -> Math.abs(start.toEpochMilli() - startEpochMs) <= START_TOLERANCE.toMillis())
                    .orElse(true);
        }

        String line() {
            String portList = ports.isEmpty() ? "-" : ports.stream().map(String::valueOf).collect(Collectors.joining(","));
            return name + " " + pid + " " + startEpochMs + " " + portList;
        }

        static Entry parse(String line) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 4) {
                throw new IllegalArgumentException("expected 'name pid start ports', got '" + line + "'");
            }
            List<Integer> ports = parts[3].equals("-") ? List.of()
                    : Arrays.stream(parts[3].split(",")).map(Integer::valueOf).toList();
            return new Entry(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), ports);
        }
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The entries, in the order they were added; none when there is no file. */
    public synchronized List<Entry> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    try {
                        entries.add(Entry.parse(line));
                    } catch (IllegalArgumentException e) {
                        throw new FleetException("cannot read " + file + ": " + e.getMessage()
                                + "; stop the processes it lists by hand and delete it");
                    }
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Adds an entry, rewriting the file atomically so a reader never sees half of it. */
    public synchronized void add(Entry entry) {
        List<Entry> entries = new ArrayList<>(read());
        entries.removeIf(e -> e.name().equals(entry.name()));
        entries.add(entry);
        write(entries);
    }

    public synchronized void write(List<Entry> entries) {
        StringBuilder text = new StringBuilder("# processes of the local Equilibria fleet: name pid start-epoch-ms ports\n");
        entries.forEach(e -> text.append(e.line()).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    /** The entries whose processes still run. */
    public List<Entry> alive() {
        return read().stream().filter(e -> e.process().isPresent()).toList();
    }
}
