package dev.equilibria.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.kv.BlockHasher;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequenceHashesTest {

    private static final BlockHasher HASHER = new BlockHasher(16);
    private static final SequenceListener NONE = (s, index, tokenId, finish) -> { };

    @Test
    void blocksSpanningPromptAndOutputHashAsOneTokenStream() {
        int[] prompt = IntStream.range(0, 40).toArray();
        Sequence s = new Sequence(new SequenceRequest("r", SequenceMode.DECODE_ONLY, prompt, new int[] {40}, 60,
                new int[0]), NONE, HASHER, 0);
        for (int t = 41; t < 80; t++) {
            s.append(t);
        }

        assertThat(s.fullBlockHashes()).containsExactly(HASHER.hash(IntStream.range(0, 80).toArray()));
        assertThat(s.promptBlockHashes()).containsExactly(HASHER.hash(prompt));
        assertThat(s.generatedTokenIds()).containsExactly(IntStream.range(40, 80).toArray());
    }

    @Test
    void suppliedPromptHashesAreUsedOnlyWhenTheyFitTheEngine() {
        int[] prompt = IntStream.range(0, 40).toArray();
        long[] marked = {1, 2};
        SequenceRequest request = SequenceRequest.prefill("r", prompt);

        assertThat(new Sequence(request.withPromptBlockHashes(16, marked), NONE, HASHER, 0).fullBlockHashes())
                .containsExactly(1, 2);
        assertThat(new Sequence(request.withPromptBlockHashes(32, marked), NONE, HASHER, 0).fullBlockHashes())
                .as("another block size").containsExactly(HASHER.hash(prompt));
        assertThat(new Sequence(request.withPromptBlockHashes(16, new long[] {1}), NONE, HASHER, 0)
                .fullBlockHashes()).as("too few hashes").containsExactly(HASHER.hash(prompt));
    }
}
