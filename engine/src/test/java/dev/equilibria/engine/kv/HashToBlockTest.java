package dev.equilibria.engine.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashToBlockTest {

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemovesWithCollidingKeys() {
        HashToBlock map = new HashToBlock(4);
        Map<Long, Block> reference = new HashMap<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int op = 0; op < 200_000; op++) {
            long key = random.nextInt(2_000) * 1024L; // many keys share low bits
            if (random.nextInt(3) == 0) {
                map.remove(key);
                reference.remove(key);
            } else {
                Block block = new Block(op);
                map.put(key, block);
                reference.put(key, block);
            }
            long probe = random.nextInt(2_000) * 1024L;
            assertThat(map.get(probe)).isSameAs(reference.get(probe));
        }
        assertThat(map.size()).isEqualTo(reference.size());
        assertThat(map.keys()).containsExactlyInAnyOrderElementsOf(reference.keySet());
    }
}
