package dev.equilibria.routing.policy;

import static dev.equilibria.protocol.WorkerRole.DECODE;
import static dev.equilibria.protocol.WorkerRole.PREFILL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.registry.Heartbeats;
import dev.equilibria.routing.registry.LiveWorker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoundRobinSelectorTest {

    private static final RouteRequest REQUEST = new RouteRequest("r-1", Heartbeats.MODEL, 10, new long[0], 4);

    private final RoundRobinSelector selector = new RoundRobinSelector();

    @ParameterizedTest(name = "{0} workers, {1} picks -> {2}")
    @CsvSource({
            "1, 3, 'w0 w0 w0'",
            "2, 5, 'w0 w1 w0 w1 w0'",
            "3, 7, 'w0 w1 w2 w0 w1 w2 w0'",
    })
    void cyclesThroughTheCandidatesInOrder(int workers, int picks, String expected) {
        List<LiveWorker> pool = pool(workers);

        List<String> chosen = IntStream.range(0, picks)
                .mapToObj(i -> selector.select(PREFILL, REQUEST, pool).orElseThrow().workerId()).toList();

        assertThat(String.join(" ", chosen)).isEqualTo(expected);
    }

    @Test
    void eachLegHasItsOwnTurn() {
        List<LiveWorker> pool = pool(2);

        assertThat(selector.select(PREFILL, REQUEST, pool)).get().extracting(LiveWorker::workerId).isEqualTo("w0");
        assertThat(selector.select(DECODE, REQUEST, pool)).get().extracting(LiveWorker::workerId).isEqualTo("w0");
        assertThat(selector.select(PREFILL, REQUEST, pool)).get().extracting(LiveWorker::workerId).isEqualTo("w1");
    }

    @Test
    void selectsNothingFromAnEmptyPool() {
        assertThat(selector.select(PREFILL, REQUEST, List.of())).isEmpty();
    }

    @Test
    void spreadsConcurrentPicksEvenly() throws InterruptedException {
        List<LiveWorker> pool = pool(4);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            threads.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    String id = selector.select(PREFILL, REQUEST, pool).orElseThrow().workerId();
                    counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(counts).hasSize(4);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1000));
    }

    private static List<LiveWorker> pool(int size) {
        List<LiveWorker> workers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            workers.add(new LiveWorker(Heartbeats.of("w" + i, PREFILL), Instant.EPOCH, Instant.EPOCH));
        }
        return workers;
    }
}
