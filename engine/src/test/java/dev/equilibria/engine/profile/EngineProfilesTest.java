package dev.equilibria.engine.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineProfilesTest {

    @Test
    void kvBytesPerTokenFollowTheModelShapes() {
        assertThat(ModelSpec.LLAMA_31_70B_FP8.kvBytesPerToken()).isEqualTo(163_840);
        assertThat(ModelSpec.NEMOTRON_4_340B_FP8.kvBytesPerToken()).isEqualTo(294_912);
        assertThat(ModelSpec.LLAMA_31_8B_BF16.kvBytesPerToken()).isEqualTo(131_072);
    }

    @Test
    void theKvPoolIsTheMemoryLeftAfterWeights() {
        // 4 x (180 GB x 0.9 - 4 GB) - 70.6 GB = 561.4 GB over 64 x 163840 B per block
        assertThat(EngineProfiles.LLAMA_70B_B200.numBlocks(64)).isEqualTo((int) (561.4e9 / (64 * 163_840.0)));
        assertThat(EngineProfiles.LLAMA_8B_H200.numBlocks(64))
                .isGreaterThan(EngineProfiles.LLAMA_8B_H100.numBlocks(64) * 2);
    }

    @Test
    void wholeNodeWorkersHandOffOverInfiniBand() {
        assertThat(EngineProfiles.NEMOTRON_340B_B200.handoffLink().name()).isEqualTo("inter-node");
        assertThat(EngineProfiles.LLAMA_70B_B200.handoffLink().name()).isEqualTo("intra-node");
        // a 4k-token 340B prompt: 4096 x 294912 B over 8 NICs x 50 GB/s x 0.8 is about 3.8 ms
        assertThat(EngineProfiles.NEMOTRON_340B_B200.handoffLink().transferNanos(4096L * 294_912) / 1e6)
                .isBetween(3.7, 3.9);
    }

    @Test
    void profilesAreFoundByNameOrAlias() {
        assertThat(EngineProfiles.byName("70b-b200")).isSameAs(EngineProfiles.LLAMA_70B_B200);
        assertThat(EngineProfiles.byName("llama-3.1-8b-bf16-tp1-h100")).isSameAs(EngineProfiles.LLAMA_8B_H100);
        assertThatThrownBy(() -> EngineProfiles.byName("gpt-9")).hasMessageContaining("known:");
    }
}
