package dev.equilibria.simulator.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays a trace in the Mooncake format (JSON lines with {@code timestamp} in ms, {@code input_length},
 * {@code output_length}, {@code hash_ids} of 512-token blocks). Block ids expand into fixed token chunks so shared
 * prefixes hash identically. The trace's timestamps come in bursts (many requests on one timestamp, ~3 s apart):
 * {@link Timing#KEEP_BURSTS} replays them as they are, {@link Timing#SPREAD_BURSTS} spreads each burst evenly
 * over the gap to the next timestamp.
 */
public final class MooncakeTrace implements OpenLoopWorkload {

    /** The trace's block size. */
    public static final int TRACE_BLOCK_TOKENS = 512;

    /** How bursts of requests sharing one timestamp are replayed. */
    public enum Timing {
        KEEP_BURSTS, SPREAD_BURSTS
    }

    /** One row of the trace. */
    public record Row(long timestampMs, int inputLength, int outputLength, long[] hashIds) {
    }

    private final List<Row> rows;
    private final TraceScaling scaling;
    private final Timing timing;
    private final TokenChunks chunks = new TokenChunks(TRACE_BLOCK_TOKENS, 0x6d6f6f6eL);
    private final String source;

    public MooncakeTrace(List<Row> rows, TraceScaling scaling, Timing timing, String source) {
        this.rows = List.copyOf(rows);
        this.scaling = scaling;
        this.timing = timing;
        this.source = source;
    }

    public static MooncakeTrace read(Path file, TraceScaling scaling, Timing timing) {
        return new MooncakeTrace(parse(file, scaling.maxRequests()), scaling, timing, file.getFileName().toString());
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
        JsonMapper mapper = JsonMapper.builder().build();
        List<Row> rows = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null && rows.size() < maxRequests) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = mapper.readTree(line);
                JsonNode ids = node.required("hash_ids");
                long[] hashIds = new long[ids.size()];
                for (int i = 0; i < hashIds.length; i++) {
                    hashIds[i] = ids.get(i).asLong();
                }
                rows.add(new Row(node.required("timestamp").asLong(), node.required("input_length").asInt(),
                        node.required("output_length").asInt(), hashIds));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + number + ": not a Mooncake trace row: "
                        + e.getMessage(), e);
            }
        }
        return rows;
    }

    public List<Row> rows() {
        return rows;
    }

    @Override
    public Iterator<SimRequest> requests() {
        long[] arrivals = arrivalsMs();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows.size();
            }

            @Override
            public SimRequest next() {
                Row row = rows.get(next);
                int inputTokens = scaling.scaleInput(row.inputLength());
                int[] prompt = chunks.prompt(row.hashIds(), inputTokens);
                long arrival = scaling.scaleTimeNanos(arrivals[next] * 1_000_000L);
                return new SimRequest("mc-" + next++, arrival, prompt, Math.max(1, row.outputLength()));
            }
        };
    }

    private long[] arrivalsMs() {
        long[] arrivals = new long[rows.size()];
        int i = 0;
        while (i < rows.size()) {
            int j = i;
            while (j < rows.size() && rows.get(j).timestampMs() == rows.get(i).timestampMs()) {
                j++;
            }
            long start = rows.get(i).timestampMs();
            long gap = j < rows.size() ? rows.get(j).timestampMs() - start : 0;
            for (int k = i; k < j; k++) {
                arrivals[k] = timing == Timing.SPREAD_BURSTS ? start + gap * (k - i) / (j - i) : start;
            }
            i = j;
        }
        return arrivals;
    }

    @Override
    public String describe() {
        return "mooncake trace " + source + ": " + rows.size() + " requests, " + scaling.describe() + ", "
                + timing.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
