package dev.equilibria.fleet.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The reliability suite's results table, one Markdown row per scenario, in the order they ran. */
public final class ReliabilityResults {

    private final Path file;

    /** Starts a fresh table at {@code file}, headed by {@code title} and the conditions of the run. */
    public static ReliabilityResults create(Path file, String title, String conditions) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, "# " + title + "\n\n" + conditions + "\n\n" + LoadVerdict.TABLE_HEADER + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new ReliabilityResults(file);
    }

    private ReliabilityResults(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends a scenario's row (also when its assertions then fail: the row says why). */
    public synchronized void add(LoadVerdict verdict) {
        try {
            Files.writeString(file, verdict.markdownRow() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
