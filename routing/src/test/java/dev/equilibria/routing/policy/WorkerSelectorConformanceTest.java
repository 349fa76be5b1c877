package dev.equilibria.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.protocol.WorkerRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract every registered policy keeps, run over each of them. */
class WorkerSelectorConformanceTest {

    static Stream<String> policies() {
        return WorkerSelectors.names().stream();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void isRegisteredUnderItsOwnNameWithItsParameters(String name) {
        WorkerSelectors.Descriptor descriptor = WorkerSelectors.descriptors().stream()
                .filter(d -> d.name().equals(name)).findFirst().orElseThrow();

        assertThat(WorkerSelectors.create(name).name()).isEqualTo(name);
        assertThat(descriptor.summary()).isNotBlank();
        assertThat(descriptor.parameters()).allSatisfy(p -> assertThat(p).matches("[a-z_]+"));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void picksACandidateAndCostsEveryOne(String name) {
        WorkerSelector selector = WorkerSelectors.create(name);
        Random shapes = new Random(name.hashCode());
        for (int round = 0; round < 500; round++) {
            List<Candidate> pool = randomPool(shapes, 1 + shapes.nextInt(12));
            Selection s = selector.select(Candidates.context(pool, PolicySettings.ofPolicy(name),
                    new SplittableRandom(round)));

            assertThat(s.chosen()).isBetween(0, pool.size() - 1);
            assertThat(s.costs()).hasSize(pool.size());
            for (double cost : s.costs()) {
                assertThat(Double.isFinite(cost)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void takesTheOnlyCandidate(String name) {
        for (WorkerRole leg : WorkerRole.values()) {
            Selection s = WorkerSelectors.create(name).select(new SelectionContext(leg,
                    List.of(Candidates.of("only", 3, 10, 5, 5)), PolicySettings.DEFAULTS.withPolicy(name),
                    new SplittableRandom(1)));
            assertThat(s.chosen()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void isDeterministicUnderTheSameSeed(String name) {
        List<Candidate> pool = randomPool(new Random(7), 8);
        assertThat(run(name, pool, 11)).isEqualTo(run(name, pool, 11));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void isSafeUnderConcurrentDecisions(String name) throws Exception {
        WorkerSelector selector = WorkerSelectors.create(name);
        List<Candidate> pool = randomPool(new Random(3), 5);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(threads.submit(() -> {
                    RandomGenerator random = new SplittableRandom(seed);
                    for (int i = 0; i < 2_000; i++) {
                        int chosen = selector.select(Candidates.context(pool, PolicySettings.ofPolicy(name),
                                random)).chosen();
                        assertThat(chosen).isBetween(0, pool.size() - 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<Integer> run(String name, List<Candidate> pool, long seed) {
        WorkerSelector selector = WorkerSelectors.create(name);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chosen.add(selector.select(Candidates.context(pool, PolicySettings.ofPolicy(name), random)).chosen());
        }
        return chosen;
    }

    private static List<Candidate> randomPool(Random random, int size) {
        List<Candidate> pool = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            double blocks = 1 + random.nextInt(200);
            pool.add(new Candidate(Candidates.worker("w" + i), random.nextInt((int) blocks + 1), blocks,
                    random.nextInt(400), random.nextInt(400), random.nextInt(20), random.nextInt(4)));
        }
        return pool;
    }
}
