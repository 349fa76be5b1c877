package dev.equilibria.gateway;

import dev.equilibria.protocol.event.EventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;

/**
 * Prompts derived from the Mooncake conversation trace slice in {@code traces/}: each 512-token block id becomes a
 * fixed pseudo-random chunk of token ids (a function of the id and a salt, so two salts give workloads that share
 * nothing), the prompt is cut to {@code input_length} and capped. Requests that share leading block ids share
 * exactly that token prefix, as in the trace.
 */
final class MooncakeWorkload {

    static final String RESOURCE = "/traces/mooncake_conversation_head400.jsonl";
    static final int TRACE_BLOCK = 512;

    /** One request of the trace. */
    record Row(int inputLength, int outputLength, long[] hashIds) {
    }

    private MooncakeWorkload() {
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                MooncakeWorkload.class.getResourceAsStream(RESOURCE), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode row = EventCodec.mapper().readTree(line);
                long[] ids = new long[row.path("hash_ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = row.path("hash_ids").get(i).longValue();
                }
                rows.add(new Row(row.path("input_length").intValue(), row.path("output_length").intValue(), ids));
            }
        }
        return rows;
    }

    /** The rows of multi-turn conversations: their second block id recurs in the slice. */
    static List<Row> prefixHeavy(List<Row> rows) {
        Map<Long, Integer> seen = new HashMap<>();
        rows.stream().filter(r -> r.hashIds().length > 1).forEach(r -> seen.merge(r.hashIds()[1], 1, Integer::sum));
        return rows.stream().filter(r -> r.hashIds().length > 1 && seen.get(r.hashIds()[1]) >= 2).toList();
    }

    /** The prompt's token ids, at most {@code cap} of them. */
    static int[] prompt(Row row, long salt, int cap) {
        int length = Math.min(row.inputLength(), cap);
        int[] tokens = new int[length];
        for (int b = 0; b * TRACE_BLOCK < length; b++) {
            SplittableRandom chunk = new SplittableRandom(row.hashIds()[b] * 0x9e3779b97f4a7c15L ^ salt);
            for (int i = b * TRACE_BLOCK; i < Math.min(length, (b + 1) * TRACE_BLOCK); i++) {
                tokens[i] = chunk.nextInt(100_000);
            }
        }
        return tokens;
    }
}
