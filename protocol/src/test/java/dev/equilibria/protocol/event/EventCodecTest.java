package dev.equilibria.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.protocol.WorkerRole;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    static Stream<Object> events() {
        RouterSettings settings = new RouterSettings("kv", 1.0, 0.0);
        return Stream.of(
                new WorkerHeartbeat("prefill-0", WorkerRole.PREFILL, "http://127.0.0.1:8081", "llama-3.1-70b",
                        new WorkerCapacity(256, 8192, 16384, 64, 131072), false, 1_000L),
                new WorkerLoad("decode-1", WorkerRole.DECODE, 2_000L, 12, 3, 900, 16384, 4096, 0.37),
                new KvEvent.BlocksStored("prefill-0", 7, 3_000L, 42L, List.of(1L, -2L, Long.MAX_VALUE)),
                new KvEvent.BlocksStored("prefill-0", 8, 3_000L, null, List.of(5L)),
                new KvEvent.BlocksRemoved("prefill-0", 9, 3_001L, List.of(1L)),
                new KvEvent.AllCleared("prefill-0", 10, 3_002L),
                new RoutingDecision("req-1", "gw-a", 4_000L, RoutingLeg.PREFILL, "prefill-0", settings, 8000, 125,
                        64, List.of(new CandidateCost("prefill-0", 3, 122, 0, 122))),
                new RouterConfigOverride("monitor", 5_000L, "kv", 0.1, 0.8, "regime SATURATED"),
                new RouterConfigOverride("monitor", 5_000L, null, null, 0.5, "temperature only"),
                new Allocation(6_000L, 2, 4, Map.of("decode-0", 0.6, "decode-1", 0.4), "prefill TTFT over SLO"),
                new WorkerCommand("cmd-1", "decode-1", WorkerCommand.Type.SET_ROLE, WorkerRole.PREFILL, "allocator",
                        7_000L),
                new RequestRecord("req-1", "gw-a", 8_000L, "success", "prefill-0", "decode-1", 900, 512, 64, 41.5,
                        5.2, 380.0),
                new CapacityAlert(9_000L, "prefill", "raised", 1, 1, 1.2, 1.0, "every prefill worker at its cap"),
                new LedgerDelta("gw-a", 9_000L, 12, 10_000L, false,
                        List.of(new LedgerDelta.WorkerShare("prefill-0", 4096, 0, 2))),
                new LedgerDelta("gw-b", 9_500L, 1, 10_001L, true, List.of()));
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTripsEveryEvent(Object event) {
        String json = EventCodec.encode(event);
        Class<?> readAs = event instanceof KvEvent ? KvEvent.class : event.getClass();

        assertThat(EventCodec.decode(json, readAs)).isEqualTo(event);
    }

    @Test
    void writesSnakeCaseNamesAndTheSchemaVersion() {
        String json = EventCodec.encode(new RouterConfigOverride("monitor", 1L, "kv", 1.0, 0.0, "why"));

        assertThat(json).contains("\"overlap_score_weight\":1.0", "\"router_temperature\":0.0", "\"version\":1");
    }

    @Test
    void tagsKvEventsWithTheirType() {
        assertThat(EventCodec.encode(new KvEvent.AllCleared("w", 1, 2))).contains("\"type\":\"cleared\"");
        assertThat(EventCodec.encode(new KvEvent.BlocksRemoved("w", 1, 2, List.of()))).contains("\"type\":\"removed\"");
    }

    @Test
    void ignoresFieldsAddedByANewerMinorVersion() {
        String json = "{\"type\":\"cleared\",\"version\":1,\"worker_id\":\"w\",\"seq\":3,\"timestamp_ms\":4,"
                + "\"added_later\":true}";

        assertThat(EventCodec.decode(json, KvEvent.class)).isEqualTo(new KvEvent.AllCleared("w", 3, 4));
    }

    @Test
    void refusesANewerMajorVersion() {
        String json = "{\"type\":\"cleared\",\"version\":2,\"worker_id\":\"w\",\"seq\":3,\"timestamp_ms\":4}";

        assertThatThrownBy(() -> EventCodec.decode(json, KvEvent.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("schema version 2");
    }

    @Test
    void reportsMalformedJsonAsEventFormatException() {
        assertThatThrownBy(() -> EventCodec.decode("{not json", WorkerLoad.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("malformed WorkerLoad");
    }

    @Test
    void rejectsAnUnknownRole() {
        String json = "{\"version\":1,\"worker_id\":\"w\",\"role\":\"gardener\"}";

        assertThatThrownBy(() -> EventCodec.decode(json, WorkerHeartbeat.class))
                .isInstanceOf(EventFormatException.class);
    }
}
