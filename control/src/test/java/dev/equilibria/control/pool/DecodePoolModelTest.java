package dev.equilibria.control.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.control.forecast.Workload;
import dev.equilibria.engine.EngineConfig;
import dev.equilibria.engine.timing.LinkProfile;
import dev.equilibria.engine.timing.PolynomialTimingModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecodePoolModelTest {

    /** step = 10 ms + 0.05 ms per sequence, nothing per KV token: Little's law then has a closed form. */
    private static final PolynomialTimingModel LINEAR = new PolynomialTimingModel(0, 0, 0, 10, 0.05, 0);
    private static final HandoffModel NO_HANDOFF = new HandoffModel(new LinkProfile("none", 1e30, 0), 0);

    private static DecodePoolModel model(EngineConfig engine, HandoffModel handoff) {
        return new DecodePoolModel(new WorkerProfile(engine, LINEAR), handoff);
    }

    @ParameterizedTest(name = "{0} req/s on {1} workers")
    @CsvSource({"1, 1", "10, 2", "40, 4", "60, 4"})
    void concurrencyIsTheFixedPointOfLittlesLaw(double rate, int workers) {
        DecodePoolModel m = model(EngineConfig.defaults(), NO_HANDOFF);
        Workload w = new Workload(rate, 1000, 1000, 101, 0);
        DecodeEstimate e = m.estimate(w, workers);
        // b = r * (a + k b)  =>  b = r a / (1 - r k),  step = a / (1 - r k), with r = decode tokens/s per worker
        double r = rate * 100 / workers;
        double a = 0.010;
        double k = 0.00005;
        assertThat(e.concurrencyPerWorker()).isCloseTo(r * a / (1 - r * k), within(1e-6));
        assertThat(e.stepSeconds()).isCloseTo(a / (1 - r * k), within(1e-9));
        assertThat(e.decodeTokens()).isEqualTo(100);
    }

    @Test
    void utilisationIsDemandOverFullBatchThroughput() {
        DecodePoolModel m = model(EngineConfig.defaults(), NO_HANDOFF);
        Workload w = new Workload(50, 1000, 1000, 101, 0);
        double fullStep = 0.010 + 0.00005 * 256;
        assertThat(m.estimate(w, 2).utilisation()).isCloseTo(25 * 100 * fullStep / 256, within(1e-9));
        assertThat(m.maxArrivalRate(w, 2)).isCloseTo(2 * 256 / fullStep / 100, within(1e-6));
    }

    @Test
    void itlBlowsUpTowardSaturationAndIsInfiniteBeyond() {
        DecodePoolModel m = model(EngineConfig.defaults(), NO_HANDOFF);
        Workload w = new Workload(1, 1000, 1000, 101, 0);
        double max = m.maxArrivalRate(w, 1);
        double previous = 0;
        // the slot wait grows like 1 / (1 - rho) but starts from almost nothing with 256 slots
        for (double rho : new double[] {0.5, 0.9, 0.99, 0.999, 0.99999}) {
            double itl = m.estimate(w.withArrivalRate(rho * max), 1).itlSeconds();
            assertThat(itl).isGreaterThan(previous);
            previous = itl;
        }
        assertThat(previous).isGreaterThan(10 * m.estimate(w.withArrivalRate(0.5 * max), 1).itlSeconds());
        DecodeEstimate over = m.estimate(w.withArrivalRate(1.01 * max), 1);
        assertThat(over.itlSeconds()).isInfinite();
        assertThat(over.attainment(1)).isZero();
    }

    @Test
    void kvCapacityLimitsTheBatch() {
        // 1000-token prompts and 100 decode tokens hold about 1050 / 64 + 0.5 = 16.9 blocks each
        EngineConfig smallKv = EngineConfig.defaults().withNumBlocks(170);
        DecodePoolModel m = model(smallKv, NO_HANDOFF);
        Workload w = new Workload(1, 1000, 1000, 101, 0);
        assertThat(m.batchCap(w)).isEqualTo(10);
        double fullStep = 0.010 + 0.00005 * 10;
        assertThat(m.maxArrivalRate(w, 1)).isCloseTo(10 / fullStep / 100, within(1e-6));
        assertThat(m.estimate(w.withArrivalRate(m.maxArrivalRate(w, 1) * 1.001), 1).itlSeconds()).isInfinite();
    }

    @Test
    void aSequenceThatDoesNotFitInKvSaturatesThePool() {
        DecodePoolModel m = model(EngineConfig.defaults().withNumBlocks(10), NO_HANDOFF);
        Workload w = new Workload(0.001, 10_000, 10_000, 101, 0);
        assertThat(m.batchCap(w)).isZero();
        assertThat(m.estimate(w, 8).saturated()).isTrue();
    }

    @Test
    void handoffIsSpreadOverTheDecodeTokens() {
        HandoffModel slow = new HandoffModel(new LinkProfile("slow", 1e9, 0), 1000);
        DecodePoolModel m = model(EngineConfig.defaults(), slow);
        Workload w = new Workload(0, 2000, 2000, 101, 0);
        DecodeEstimate e = m.estimate(w, 1);
        // 2000 tokens x 1000 bytes over 1 GB/s = 2 ms, over 100 tokens
        assertThat(e.handoffSeconds()).isCloseTo(0.002, within(1e-12));
        assertThat(e.itlSeconds() - e.stepSeconds()).isCloseTo(0.002 / 100, within(1e-12));
    }

    @Test
    void attainmentIsAllOrNothingOnTheStepAtLightLoad() {
        DecodePoolModel m = model(EngineConfig.defaults(), NO_HANDOFF);
        DecodeEstimate e = m.estimate(new Workload(1, 1000, 1000, 101, 0), 4);
        assertThat(e.attainment(e.stepSeconds() * 1.01)).isCloseTo(1, within(1e-9));
        assertThat(e.attainment(e.stepSeconds() * 0.99)).isZero();
    }
}
