package dev.equilibria.gateway.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {

    private static final Tokenizer TOKENIZER = new Tokenizer("cl100k_base");

    @ParameterizedTest
    @ValueSource(strings = {"Hello world", "héllo wörld 🦀🦀", "Ω≈ç√∫", "a <|endoftext|> b", ""})
    void decodingTheEncodingGivesTheTextBack(String text) {
        assertThat(TOKENIZER.decode(TOKENIZER.encode(text))).isEqualTo(text);
    }

    @Test
    void specialTokenMarkersInUserTextAreJustText() {
        assertThat(TOKENIZER.encode("<|endoftext|>")).hasSizeGreaterThan(1).doesNotContain(100257);
    }

    @Test
    void streamedPiecesNeverSplitACharacter() {
        int[] ids = TOKENIZER.encode("ok 🙂 🦀 done");
        IncrementalDetokenizer detokenizer = TOKENIZER.detokenizer();
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(detokenizer.next(id));
        }
        pieces.add(detokenizer.flush());

        assertThat(String.join("", pieces)).isEqualTo("ok 🙂 🦀 done");
        assertThat(pieces).noneMatch(p -> p.contains("\uFFFD"));
        assertThat(pieces).contains(""); // the emoji's first token completes no character on its own
    }

    @Test
    void unknownTokenIdsReadAsReplacementCharacters() {
        assertThat(TOKENIZER.decode(new int[] {9906, 999_999_999, -1})).isEqualTo("Hello\uFFFD\uFFFD");
    }

    @Test
    void anUnfinishedCharacterAtTheEndIsFlushedAsReplacement() {
        int[] emoji = TOKENIZER.encode("🙂");
        IncrementalDetokenizer detokenizer = TOKENIZER.detokenizer();

        assertThat(detokenizer.next(emoji[0])).isEmpty();
        assertThat(detokenizer.flush()).isEqualTo("\uFFFD");
    }

    @Test
    void completePrefixStopsBeforeAnUnfinishedCharacter() {
        byte[] text = "a🙂".getBytes(java.nio.charset.StandardCharsets.UTF_8); // 1 + 4 bytes
        for (int cut = 0; cut <= text.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(text, cut);
            int expected = cut == 0 ? 0 : cut < 5 ? 1 : 5;
            assertThat(IncrementalDetokenizer.completePrefix(prefix)).as("cut %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void refusesAnUnknownEncoding() {
        assertThatThrownBy(() -> new Tokenizer("gpt9_base")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpt9_base");
    }
}
