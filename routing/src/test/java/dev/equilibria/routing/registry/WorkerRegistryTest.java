package dev.equilibria.routing.registry;

import static dev.equilibria.protocol.WorkerRole.AGGREGATED;
import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCapacity;
import dev.equilibria.protocol.event.WorkerHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class WorkerRegistryTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TestClock clock = new TestClock(START);
    private final WorkerRegistry registry = new WorkerRegistry(clock);

    @Test
    void defaultTtlIsThreeSeconds() {
        assertThat(WorkerRegistry.DEFAULT_HEARTBEAT_TTL).isEqualTo(Duration.ofSeconds(3));
        assertThat(registry.heartbeatTtl()).isEqualTo(WorkerRegistry.DEFAULT_HEARTBEAT_TTL);
    }

    @Test
    void discoversWorkersFromHeartbeatsOrderedById() {
        registry.onHeartbeat(Heartbeats.of("p-1", PREFILL));
        registry.onHeartbeat(Heartbeats.of("d-0", DECODE));
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL));

        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0", "p-0", "p-1");
    }

    @ParameterizedTest(name = "age {0} ms -> live {1}")
    @CsvSource({
            "0,     true",
            "2999,  true",
            "3000,  true",
            "3001,  false",
            "60000, false",
    })
    void dropsWorkerOnceItsLastHeartbeatIsOlderThanTheTtl(long ageMillis, boolean live) {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL));

        clock.advance(Duration.ofMillis(ageMillis));

        assertThat(registry.find("p-0").isPresent()).isEqualTo(live);
        assertThat(registry.live()).hasSize(live ? 1 : 0);
    }

    @Test
    void eachHeartbeatExtendsTheLease() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 1));
        clock.advance(Duration.ofSeconds(2));
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 2));
        clock.advance(Duration.ofSeconds(2));

        assertThat(registry.find("p-0")).get().satisfies(w -> {
            assertThat(w.firstSeen()).isEqualTo(START);
            assertThat(w.lastSeen()).isEqualTo(START.plusSeconds(2));
        });
    }

    @Test
    void aWorkerThatComesBackAfterExpiryStartsAFreshRun() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 5));
        clock.advance(Duration.ofSeconds(10));
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 1));

        assertThat(registry.find("p-0")).get().extracting(LiveWorker::firstSeen).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void ignoresAHeartbeatOlderThanTheOneHeld() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, true, 200));
        clock.advance(Duration.ofSeconds(1));
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 100));

        assertThat(registry.find("p-0")).get().satisfies(w -> {
            assertThat(w.draining()).isTrue();
            assertThat(w.lastSeen()).isEqualTo(START);
        });
    }

    @Test
    void aNewerHeartbeatReplacesRoleAndDrainingState() {
        registry.onHeartbeat(Heartbeats.of("w-0", PREFILL, Heartbeats.MODEL, false, 1));
        registry.onHeartbeat(Heartbeats.of("w-0", DECODE, Heartbeats.MODEL, true, 2));

        assertThat(registry.find("w-0")).get().satisfies(w -> {
            assertThat(w.role()).isEqualTo(DECODE);
            assertThat(w.draining()).isTrue();
        });
    }

    static Stream<Arguments> availability() {
        return Stream.of(
                // worker role, draining, leg, available
                Arguments.of(PREFILL, false, PREFILL, true),
                Arguments.of(PREFILL, false, DECODE, false),
                Arguments.of(DECODE, false, DECODE, true),
                Arguments.of(DECODE, false, PREFILL, false),
                Arguments.of(AGGREGATED, false, PREFILL, true),
                Arguments.of(AGGREGATED, false, DECODE, true),
                Arguments.of(PREFILL, true, PREFILL, false),
                Arguments.of(DECODE, true, DECODE, false),
                Arguments.of(AGGREGATED, true, PREFILL, false),
                Arguments.of(AGGREGATED, true, DECODE, false));
    }

    @ParameterizedTest(name = "{0} draining={1} for {2} leg -> {3}")
    @MethodSource("availability")
    void availableForALegByRoleAndDraining(WorkerRole role, boolean draining, WorkerRole leg, boolean available) {
        registry.onHeartbeat(Heartbeats.of("w-0", role, Heartbeats.MODEL, draining, 1));

        assertThat(registry.available(leg, Heartbeats.MODEL)).hasSize(available ? 1 : 0);
        assertThat(registry.live()).hasSize(1);
    }

    @Test
    void availableOnlyListsWorkersOfTheRequestedModel() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, "model-a", false, 1));
        registry.onHeartbeat(Heartbeats.of("p-1", PREFILL, "model-b", false, 1));

        assertThat(registry.available(PREFILL, "model-b")).extracting(LiveWorker::workerId).containsExactly("p-1");
        assertThat(registry.available(PREFILL, "model-c")).isEmpty();
    }

    @Test
    void countsLiveWorkersByRoleWithEveryRolePresent() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL));
        registry.onHeartbeat(Heartbeats.of("p-1", PREFILL, Heartbeats.MODEL, true, 0));
        registry.onHeartbeat(Heartbeats.of("d-0", DECODE));

        assertThat(registry.countByRole()).containsEntry(PREFILL, 2).containsEntry(DECODE, 1)
                .containsEntry(AGGREGATED, 0);
    }

    @Test
    void modelsTakeTheSmallestMaxModelLenOfTheirWorkers() {
        registry.onHeartbeat(Heartbeats.withMaxModelLen("p-0", PREFILL, 8192));
        clock.advance(Duration.ofSeconds(1));
        registry.onHeartbeat(Heartbeats.withMaxModelLen("d-0", DECODE, 4096));
        registry.onHeartbeat(Heartbeats.of("x-0", AGGREGATED, "other", false, 0));

        assertThat(registry.models()).containsExactly(
                new ServedModel(Heartbeats.MODEL, 4096, START, 2),
                new ServedModel("other", Heartbeats.MAX_MODEL_LEN, START.plusSeconds(1), 1));
        assertThat(registry.model("missing")).isEmpty();
    }

    @Test
    void modelsDisappearWithTheirLastWorker() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL));
        clock.advance(Duration.ofSeconds(4));

        assertThat(registry.models()).isEmpty();
    }

    static Stream<Arguments> invalidHeartbeats() {
        WorkerCapacity capacity = new WorkerCapacity(1, 1, 1, 64, 1024);
        return Stream.of(
                Arguments.of(new WorkerHeartbeat(null, PREFILL, "http://h:1", "m", capacity, false, 0), "worker_id"),
                Arguments.of(new WorkerHeartbeat(" ", PREFILL, "http://h:1", "m", capacity, false, 0), "worker_id"),
                Arguments.of(new WorkerHeartbeat("w", null, "http://h:1", "m", capacity, false, 0), "role"),
                Arguments.of(new WorkerHeartbeat("w", PREFILL, null, "m", capacity, false, 0), "endpoint"),
                Arguments.of(new WorkerHeartbeat("w", PREFILL, "http://h:1", "", capacity, false, 0), "model"),
                Arguments.of(new WorkerHeartbeat("w", PREFILL, "http://h:1", "m", null, false, 0), "max_model_len"),
                Arguments.of(new WorkerHeartbeat("w", PREFILL, "http://h:1", "m",
                        new WorkerCapacity(1, 1, 1, 64, 0), false, 0), "max_model_len"));
    }

    @ParameterizedTest(name = "rejects heartbeat without {1}")
    @MethodSource("invalidHeartbeats")
    void rejectsHeartbeatsMissingWhatTheFleetNeeds(WorkerHeartbeat heartbeat, String field) {
        assertThatThrownBy(() -> registry.onHeartbeat(heartbeat))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
        assertThat(registry.live()).isEmpty();
    }

    @Test
    void rejectsANonPositiveTtl() {
        assertThatThrownBy(() -> new WorkerRegistry(clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeat_ttl");
    }

    @Test
    void aSilentWorkerLeavesAfterTheTtlWhileOthersKeepBeating() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 1));
        registry.onHeartbeat(Heartbeats.of("p-1", PREFILL, Heartbeats.MODEL, false, 1));
        for (int beat = 2; beat <= 5; beat++) {
            clock.advance(Duration.ofSeconds(1));
            registry.onHeartbeat(Heartbeats.of("p-1", PREFILL, Heartbeats.MODEL, false, beat));
        }
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("p-1");
    }

    @Test
    void aDownFeedFreezesLivenessAtTheLastHeartbeatAndAFreshTtlStartsWhenItIsBack() {
        registry.onHeartbeat(Heartbeats.of("p-0", PREFILL, Heartbeats.MODEL, false, 1));
        clock.advance(Duration.ofSeconds(2));
        registry.onHeartbeat(Heartbeats.of("d-0", DECODE, Heartbeats.MODEL, false, 1));
        // the broker goes away; its absence is noticed after p-0 already passed its TTL
        clock.advance(Duration.ofMillis(1500));
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0");
        registry.feedDown();
        assertThat(registry.feedIsDown()).isTrue();
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0", "p-0");
        clock.advance(Duration.ofMinutes(5));
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0", "p-0");

        registry.feedUp();
        clock.advance(Duration.ofSeconds(2));
        registry.onHeartbeat(Heartbeats.of("d-0", DECODE, Heartbeats.MODEL, false, 2));
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0", "p-0");
        clock.advance(Duration.ofMillis(1500)); // p-0 never came back: gone one TTL after the feed returned
        assertThat(registry.live()).extracting(LiveWorker::workerId).containsExactly("d-0");
    }
}
