package dev.equilibria.simulator.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Replays a trace in the Azure LLM inference format (CSV {@code TIMESTAMP,ContextTokens,GeneratedTokens}, absolute
 * timestamps, offsets taken from the first row). The trace has no prefix information, so prompts get synthetic
 * prefixes: each prompt starts with one of {@code prefixes} shared system prompts covering
 * {@code sharingRatio} of its tokens, the rest is unique to the request.
 */
public final class AzureTrace implements OpenLoopWorkload {

    public static final int DEFAULT_SHARED_PREFIXES = 16;
    public static final double DEFAULT_SHARING_RATIO = 0.5;

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

    /** One row: arrival offset from the first row, prompt and output lengths. */
    public record Row(long offsetNanos, int contextTokens, int generatedTokens) {
    }

    private final List<Row> rows;
    private final TraceScaling scaling;
    private final double sharingRatio;
    private final int prefixes;
    private final long seed;
    private final String source;

    public AzureTrace(List<Row> rows, TraceScaling scaling, double sharingRatio, int prefixes, long seed,
                      String source) {
        if (sharingRatio < 0 || sharingRatio > 1) {
            throw new IllegalArgumentException("sharing_ratio must be in [0, 1], got " + sharingRatio);
        }
        if (prefixes < 1) {
            throw new IllegalArgumentException("prefixes must be at least 1");
        }
        this.rows = List.copyOf(rows);
        this.scaling = scaling;
        this.sharingRatio = sharingRatio;
        this.prefixes = prefixes;
        this.seed = seed;
        this.source = source;
    }

    public static AzureTrace read(Path file, TraceScaling scaling, double sharingRatio, int prefixes, long seed) {
        return new AzureTrace(parse(file, scaling.maxRequests()), scaling, sharingRatio, prefixes, seed,
                file.getFileName().toString());
    }

    static List<Row> parse(Path file, int maxRequests) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(in, file.toString(), maxRequests);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads rows from {@code in}; {@code source} names it in error messages. */
    public static List<Row> parse(BufferedReader in, String source, int maxRequests) throws IOException {
        List<Row> rows = new ArrayList<>();
        String header = in.readLine();
        if (header == null || !header.trim().equalsIgnoreCase("TIMESTAMP,ContextTokens,GeneratedTokens")) {
            throw new IllegalArgumentException(source + ": expected the header TIMESTAMP,ContextTokens,GeneratedTokens");
        }
        LocalDateTime first = null;
        String line;
        int number = 1;
        while ((line = in.readLine()) != null && rows.size() < maxRequests) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split(",");
            try {
                LocalDateTime time = LocalDateTime.parse(padFraction(cols[0].trim()), TIMESTAMP);
                first = first == null ? time : first;
                rows.add(new Row(ChronoUnit.NANOS.between(first, time), Integer.parseInt(cols[1].trim()),
                        Integer.parseInt(cols[2].trim())));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + number + ": not an Azure trace row: " + line, e);
            }
        }
        return rows;
    }

    /** The format has 7 fractional digits; accept fewer by padding. */
    private static String padFraction(String timestamp) {
        int dot = timestamp.lastIndexOf('.');
        if (dot < 0) {
            return timestamp + ".0000000";
        }
        StringBuilder padded = new StringBuilder(timestamp);
        while (padded.length() - dot - 1 < 7) {
            padded.append('0');
        }
        return padded.toString();
    }

    public List<Row> rows() {
        return rows;
    }

    @Override
    public Iterator<SimRequest> requests() {
        TokenChunks chunks = new TokenChunks(1 << 20, seed); // one chunk per shared prefix, cut to length
        SplittableRandom random = new SplittableRandom(seed);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows.size();
            }

            @Override
            public SimRequest next() {
                Row row = rows.get(next);
                int tokens = scaling.scaleInput(row.contextTokens());
                int shared = (int) Math.floor(tokens * sharingRatio);
                int[] prompt = new int[tokens];
                chunks.fill(random.nextInt(prefixes), prompt, 0, shared);
                chunks.fill(1_000_000L + next, prompt, shared, tokens - shared); // unique rest
                return new SimRequest("az-" + next++, scaling.scaleTimeNanos(row.offsetNanos()), prompt,
                        Math.max(1, row.generatedTokens()));
            }
        };
    }

    @Override
    public String describe() {
        return "azure trace " + source + ": " + rows.size() + " requests, " + scaling.describe()
                + ", synthetic prefixes: " + prefixes + " shared, sharing ratio " + sharingRatio;
    }
}
