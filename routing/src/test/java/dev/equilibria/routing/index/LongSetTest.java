package dev.equilibria.routing.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongSetTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void behavesLikeAHashSetUnderRandomAddsAndRemoves(long seed) {
        Random random = new Random(seed);
        LongSet set = new LongSet();
        Set<Long> expected = new HashSet<>();
        for (int op = 0; op < 50_000; op++) {
            // a small key range forces collisions, long probe runs and backward shifts; 0 is a key too
            long key = random.nextInt(3) == 0 ? random.nextInt(64) : random.nextLong() % 2000;
            if (random.nextBoolean()) {
                assertThat(set.add(key)).isEqualTo(expected.add(key));
            } else {
                assertThat(set.remove(key)).isEqualTo(expected.remove(key));
            }
            if (op % 997 == 0) {
                Set<Long> actual = new HashSet<>();
                set.forEach(actual::add);
                assertThat(actual).isEqualTo(expected);
            }
        }
        assertThat(set.size()).isEqualTo(expected.size());
        for (long key = -2000; key < 2000; key++) {
            assertThat(set.contains(key)).isEqualTo(expected.contains(key));
        }
    }
}
