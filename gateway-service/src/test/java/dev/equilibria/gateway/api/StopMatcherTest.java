package dev.equilibria.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StopMatcherTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // pieces, stop strings, output, stopped by a stop string
                Arguments.of(List.of("Hello world", ", how are you"), List.of(","), "Hello world", true),
                Arguments.of(List.of("Hello wor", "ld. Next"), List.of("world"), "Hello ", true),
                Arguments.of(List.of("ab", "c", "d"), List.of("xyz"), "abcd", false),
                Arguments.of(List.of("The end\n", "\nMore"), List.of("\n\n"), "The end", true),
                Arguments.of(List.of("one two three"), List.of("two", "three"), "one ", true),
                Arguments.of(List.of("aaa", "ab"), List.of("aab"), "aa", true),
                Arguments.of(List.of("stop"), List.of("stop"), "", true),
                Arguments.of(List.of("partial st"), List.of("stop"), "partial st", false));
    }

    @ParameterizedTest(name = "{0} with stops {1} -> ''{2}''")
    @MethodSource("cases")
    void endsBeforeTheFirstStopStringAcrossPieces(List<String> pieces, List<String> stops, String expected,
                                                  boolean stopped) {
        StopMatcher matcher = new StopMatcher(stops);
        StringBuilder out = new StringBuilder();
        boolean ended = false;
        for (String piece : pieces) {
            StopMatcher.Step step = matcher.feed(piece);
            out.append(step.emit());
            if (step.stopped()) {
                ended = true;
                break;
            }
        }
        if (!ended) {
            out.append(matcher.flush());
        }

        assertThat(out.toString()).isEqualTo(expected);
        assertThat(ended).isEqualTo(stopped);
    }

    @Test
    void holdsBackOnlyWhatCouldStartAStopString() {
        StopMatcher matcher = new StopMatcher(List.of("END"));
        List<String> emitted = new ArrayList<>();

        emitted.add(matcher.feed("The E").emit());
        emitted.add(matcher.feed("N").emit());
        emitted.add(matcher.feed("X and").emit());

        assertThat(emitted).containsExactly("The ", "", "ENX and");
    }
}
