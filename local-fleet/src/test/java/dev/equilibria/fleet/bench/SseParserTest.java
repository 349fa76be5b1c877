package dev.equilibria.fleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<String> parse(String... lines) {
        SseParser parser = new SseParser();
        List<String> events = new ArrayList<>();
        for (String line : lines) {
            parser.feed(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void aBlankLineDispatchesTheDataWithOneLeadingSpaceDropped() {
        assertThat(parse("data: {\"a\":1}", "", "data:[DONE]", "")).containsExactly("{\"a\":1}", "[DONE]");
        assertThat(parse("data:  two spaces", "")).containsExactly(" two spaces");
    }

    @Test
    void dataLinesOfOneEventJoinWithNewlines() {
        assertThat(parse("data: first", "data: second", "")).containsExactly("first\nsecond");
    }

    @Test
    void commentsOtherFieldsAndBlankLinesWithoutDataAreIgnored() {
        assertThat(parse(": keep-alive", "", "event: message", "id: 7", "retry: 10", "", "data", ""))
                .containsExactly("");
    }

    @Test
    void anEventNotClosedByABlankLineIsPendingAndNeverDispatched() {
        SseParser parser = new SseParser();
        assertThat(parser.feed("data: [DONE]")).isEmpty();
        assertThat(parser.hasPendingEvent()).isTrue();
    }
}
