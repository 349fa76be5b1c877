package dev.equilibria.routing.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.kv.BlockHasher;
import dev.equilibria.routing.index.PrefixHashes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RouteRequestTest {

    private final int[] prompt = IntStream.range(0, 64 * 100 + 17).toArray();

    @Test
    void hashesEqualTheProtocolsAtEveryBlockSize() {
        RouteRequest request = new RouteRequest("r", "m", prompt, 1);

        for (int blockSize : new int[] {16, 64, 512}) {
            assertThat(request.blockHashes(blockSize)).isEqualTo(new BlockHasher(blockSize).hash(prompt));
        }
        assertThat(request.blockHashes(48)).isEmpty(); // a block size the protocol refuses matches nothing
    }

    @Test
    void hashesOnlyAsFarAsTheyAreReadInDoublingBatches() {
        AtomicLong ticks = new AtomicLong();
        RouteRequest request = new RouteRequest("r", "m", prompt, 1);
        PrefixHashes hashes = request.hashes(64, () -> ticks.addAndGet(10));
        long[] expected = new BlockHasher(64).hash(prompt);

        assertThat(hashes.length()).isEqualTo(100);
        assertThat(hashes.hash(0)).isEqualTo(expected[0]);
        assertThat(request.hashNanos()).isEqualTo(10); // one batch of 8 blocks
        for (int i = 0; i < 8; i++) {
            assertThat(hashes.hash(i)).isEqualTo(expected[i]);
        }
        assertThat(ticks.get()).isEqualTo(20);
        assertThat(hashes.hash(9)).isEqualTo(expected[9]); // the next batch doubles to 16
        assertThat(hashes.hash(99)).isEqualTo(expected[99]);
        assertThat(request.hashNanos()).isEqualTo(30);
    }
}
