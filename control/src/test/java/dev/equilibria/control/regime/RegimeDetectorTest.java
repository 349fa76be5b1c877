package dev.equilibria.control.regime;

import static dev.equilibria.control.regime.Polls.poll;
import static dev.equilibria.control.regime.Polls.pool;
import static dev.equilibria.control.regime.Polls.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegimeDetectorTest {

    private static final Thresholds THRESHOLDS = new Thresholds(1_000, 4_000, "test");
    private static final long POLL_MS = 5_000;

    private final RegimeDetectorConfig config = RegimeDetectorConfig.defaults(THRESHOLDS);

    @Test
    void entersTransitionAfterKAgreeingPollsOfTtft() {
        RegimeDetector detector = new RegimeDetector(config);

        RegimeReading first = detector.observe(poll(0, 1_500, 100, quiet()));
        RegimeReading second = detector.observe(poll(5_000, 1_500, 100, quiet()));
        RegimeReading third = detector.observe(poll(10_000, 1_500, 100, quiet()));

        assertThat(first.regime()).isEqualTo(Regime.BELOW);
        assertThat(first.indicated()).isEqualTo(Regime.TRANSITION);
        assertThat(first.reason()).contains("1/3");
        assertThat(second.changed()).isFalse();
        assertThat(third.changed()).isTrue();
        assertThat(third.previous()).isEqualTo(Regime.BELOW);
        assertThat(third.regime()).isEqualTo(Regime.TRANSITION);
        assertThat(third.signals()).containsExactly(Signal.TTFT_P99);
        assertThat(third.reason()).contains("TTFT P99 EWMA 1500 ms >= theta1 1000 ms");
    }

    @Test
    void aSinglePollBelowRestartsTheCount() {
        RegimeDetector detector = new RegimeDetector(config);
        detector.observe(poll(0, 500, 100, quiet()));
        // EWMA from 500: 1250, 1100 (two above), 770 (below: the run restarts), 1439, 1907 (two above)
        double[] ttft = {3_000, 750, 0, 3_000, 3_000};
        List<RegimeReading> readings = new ArrayList<>();
        for (int i = 0; i < ttft.length; i++) {
            readings.add(detector.observe(poll((i + 1) * POLL_MS, ttft[i], 100, quiet())));
        }

        assertThat(readings).extracting(RegimeReading::regime).containsOnly(Regime.BELOW);
    }

    @Test
    void goesStraightToSaturatedWhenTheRunPointsThere() {
        RegimeDetector detector = new RegimeDetector(config);
        RegimeReading last = null;
        for (int i = 0; i < 3; i++) {
            last = detector.observe(poll(i * POLL_MS, 6_000, 100, quiet()));
        }

        assertThat(last.regime()).isEqualTo(Regime.SATURATED);
        assertThat(last.reason()).contains("theta2");
    }

    @Test
    void aRunThatOnlyPartlyPointsToSaturatedEntersTheLowerRegime() {
        RegimeDetector detector = new RegimeDetector(config);
        detector.observe(poll(0, 2_000, 100, quiet()));
        detector.observe(poll(5_000, 8_000, 100, quiet()));  // EWMA 3800: TRANSITION
        RegimeReading third = detector.observe(poll(10_000, 8_000, 100, quiet())); // 5060: SATURATED

        assertThat(third.regime()).isEqualTo(Regime.TRANSITION);
    }

    @Test
    void utilisationAloneCanFireAndIsReported() {
        RegimeDetector detector = new RegimeDetector(config);
        // Queues of 7 with T_q = 8: utilisation 0.875 >= 0.8, TTFT fine.
        RegimeReading last = null;
        for (int i = 0; i < 3; i++) {
            last = detector.observe(poll(i * POLL_MS, 400, 100, pool("prefill", 4, 8, 7, 0.3),
                    pool("decode", 4, 64, 0, 0.4)));
        }

        assertThat(last.regime()).isEqualTo(Regime.TRANSITION);
        assertThat(last.signals()).containsExactly(Signal.UTILISATION);
        assertThat(last.hottestPool()).isEqualTo("prefill");
        assertThat(last.reason()).contains("pool prefill");
    }

    @Test
    void fullKvCacheCountsAsUtilisation() {
        RegimeDetector detector = new RegimeDetector(config);
        RegimeReading last = null;
        for (int i = 0; i < 3; i++) {
            last = detector.observe(poll(i * POLL_MS, 400, 100, pool("decode", 4, 64, 0, 0.95)));
        }

        assertThat(last.regime()).isEqualTo(Regime.SATURATED);
        assertThat(last.utilisation()).isGreaterThan(1);
    }

    @Test
    void doesNotLeaveWhileTheLoadStaysAsHighAsAtEntry() {
        RegimeDetector detector = enteredTransitionAtLoad(100);

        List<RegimeReading> after = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            after.add(detector.observe(poll((10 + i) * POLL_MS, 300, 100, quiet())));
        }

        assertThat(after).extracting(RegimeReading::regime).containsOnly(Regime.TRANSITION);
        assertThat(after.get(after.size() - 1).reason()).contains("symptoms cleared but load");
    }

    @Test
    void leavesOnceTheLoadHasFallenByTheMarginAndTheSymptomsCleared() {
        RegimeDetector detector = enteredTransitionAtLoad(100);

        RegimeReading left = null;
        for (int i = 0; i < 30 && left == null; i++) {
            RegimeReading r = detector.observe(poll((10 + i) * POLL_MS, 300, 70, quiet()));
            if (r.changed()) {
                left = r;
            }
        }

        assertThat(left).isNotNull();
        assertThat(left.regime()).isEqualTo(Regime.BELOW);
        assertThat(left.signals()).containsExactly(Signal.OFFERED_LOAD);
        assertThat(left.reason()).contains("offered load").contains("at entry");
        assertThat(left.load()).isLessThanOrEqualTo(90);
    }

    @Test
    void aSymptomAtAlmostNoLoadIsLeftOnceTheLoadHasDoubledWithoutIt() {
        // a cold fleet: the first requests are slow while hardly any arrive
        RegimeDetector detector = new RegimeDetector(config);
        for (int i = 0; i < 3; i++) {
            detector.observe(poll(i * POLL_MS, 9_000, 0.04, quiet()));
        }
        assertThat(detector.regime()).isEqualTo(Regime.SATURATED);

        List<RegimeReading> changes = new ArrayList<>();
        for (int i = 0; i < 60 && detector.regime() != Regime.BELOW; i++) {
            RegimeReading r = detector.observe(poll((3 + i) * POLL_MS, 400, 1.0, quiet()));
            if (r.changed()) {
                changes.add(r);
            }
        }

        // down as the TTFT EWMA decays, through TRANSITION, never held by the load it entered with
        assertThat(detector.regime()).isEqualTo(Regime.BELOW);
        assertThat(changes).isNotEmpty().allSatisfy(r -> {
            assertThat(r.signals()).containsExactly(Signal.OFFERED_LOAD);
            assertThat(r.reason()).contains("did not come from the load");
        });
    }

    @Test
    void aLoadThatRoseLessThanTwofoldStillHolds() {
        RegimeDetector detector = enteredTransitionAtLoad(100);

        for (int i = 0; i < 50; i++) {
            assertThat(detector.observe(poll((10 + i) * POLL_MS, 300, 190, quiet())).regime())
                    .isEqualTo(Regime.TRANSITION);
        }
    }

    @Test
    void aFallingLoadDoesNotLeaveWhileTheSymptomPersists() {
        RegimeDetector detector = enteredTransitionAtLoad(100);

        for (int i = 0; i < 30; i++) {
            assertThat(detector.observe(poll((10 + i) * POLL_MS, 1_500, 50, quiet())).regime())
                    .isEqualTo(Regime.TRANSITION);
        }
    }

    @Test
    void withoutALoadAtEntryTheSymptomAloneDecidesAsInThePaper() {
        RegimeDetector detector = new RegimeDetector(config);
        for (int i = 0; i < 3; i++) {
            detector.observe(poll(i * POLL_MS, 2_000, Double.NaN, quiet()));
        }
        assertThat(detector.regime()).isEqualTo(Regime.TRANSITION);

        RegimeReading left = null;
        for (int i = 0; i < 30 && left == null; i++) {
            RegimeReading r = detector.observe(poll((3 + i) * POLL_MS, 300, Double.NaN, quiet()));
            if (r.changed()) {
                left = r;
            }
        }

        assertThat(left).isNotNull();
        assertThat(left.signals()).containsExactly(Signal.TTFT_P99);
        assertThat(left.reason()).contains("load unknown at entry");
    }

    @Test
    void utilisationCanBeTheExitLoad() {
        RegimeDetector detector = new RegimeDetector(config.withExitLoadSignal(ExitLoadSignal.UTILISATION));
        for (int i = 0; i < 3; i++) {
            detector.observe(poll(i * POLL_MS, 2_000, Double.NaN, pool("prefill", 4, 8, 6, 0.3)));
        }
        RegimeReading left = null;
        for (int i = 0; i < 30 && left == null; i++) {
            RegimeReading r = detector.observe(poll((3 + i) * POLL_MS, 300, Double.NaN, pool("prefill", 4, 8, 1, 0.1)));
            if (r.changed()) {
                left = r;
            }
        }

        assertThat(left).isNotNull();
        assertThat(left.signals()).containsExactly(Signal.UTILISATION);
    }

    @Test
    void noFlappingOnNoisyTtftAroundTheThreshold() {
        Random random = new Random(42);
        RegimeDetector detector = new RegimeDetector(config);
        List<RegimeReading> readings = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            double ttft = 1_000 * (1 + 0.3 * random.nextGaussian());
            double load = 100 * (1 + 0.03 * random.nextGaussian());
            readings.add(detector.observe(poll(i * POLL_MS, Math.max(0, ttft), load, quiet())));
        }

        assertNoFlapping(readings);
    }

    @Test
    void noFlappingOnNoisyUtilisationAroundTheThreshold() {
        Random random = new Random(7);
        RegimeDetector detector = new RegimeDetector(config);
        List<RegimeReading> readings = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int waiting = Math.max(0, (int) Math.round(6.4 + 2 * random.nextGaussian()));
            double load = 100 * (1 + 0.03 * random.nextGaussian());
            readings.add(detector.observe(poll(i * POLL_MS, 300, load, pool("prefill", 4, 8, waiting, 0.3))));
        }

        assertNoFlapping(readings);
    }

    @Test
    void missingTtftKeepsTheAverage() {
        RegimeDetector detector = new RegimeDetector(config);
        detector.observe(poll(0, 800, 10, quiet()));

        RegimeReading reading = detector.observe(poll(POLL_MS, Double.NaN, Double.NaN, quiet()));

        assertThat(reading.ttftP99EwmaMs()).isEqualTo(800);
        assertThat(reading.load()).isEqualTo(10);
    }

    /** Noise may push the regime up once or twice (a real excursion), but it must never come back down. */
    private static void assertNoFlapping(List<RegimeReading> readings) {
        List<RegimeReading> changes = readings.stream().filter(RegimeReading::changed).toList();
        assertThat(changes).hasSizeLessThanOrEqualTo(2)
                .allSatisfy(r -> assertThat(r.regime().isAbove(r.previous())).as(r.reason()).isTrue());
    }

    private RegimeDetector enteredTransitionAtLoad(double load) {
        RegimeDetector detector = new RegimeDetector(config);
        for (int i = 0; i < 10; i++) {
            detector.observe(poll(i * POLL_MS, 2_000, load, quiet()));
        }
        assertThat(detector.regime()).isEqualTo(Regime.TRANSITION);
        return detector;
    }
}
