package dev.equilibria.control.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.engine.timing.LinkProfile;
import org.junit.jupiter.api.Test;

class HandoffModelTest {

    @Test
    void transferIsLatencyPlusBytesOverBandwidth() {
        HandoffModel h = new HandoffModel(new LinkProfile("ib", 40e9, 20), 160_000);
        // 1000 tokens x 160 kB = 160 MB over 40 GB/s = 4 ms, plus 20 us
        assertThat(h.seconds(1000)).isCloseTo(0.004020, within(1e-9));
        assertThat(h.seconds(0)).isZero();
    }

    @Test
    void rejectsNegativeKvBytesNamingTheField() {
        assertThatThrownBy(() -> new HandoffModel(Profiles.LINK, -1)).hasMessageContaining("kv_bytes_per_token");
    }
}
