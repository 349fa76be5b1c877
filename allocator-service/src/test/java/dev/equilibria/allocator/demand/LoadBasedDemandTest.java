package dev.equilibria.allocator.demand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.equilibria.allocator.config.AllocatorModels;
import dev.equilibria.allocator.config.AllocatorProperties;
import dev.equilibria.control.forecast.Workload;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadBasedDemandTest {

    private final AllocatorModels models = AllocatorModels.of(AllocatorProperties.defaults());
    private final LoadBasedDemand demand = models.loadBased();

    @Test
    void theQueueInversionIsTheMd1MeanNumberInSystemSolvedForUtilisation() {
        for (double rho : new double[] {0, 0.1, 0.5, 0.8, 0.95, 0.99}) {
            double l = rho + rho * rho / (2 * (1 - rho));
            assertThat(LoadBasedDemand.utilisationFromQueue(l)).as("rho %s", rho).isCloseTo(rho, within(1e-9));
        }
        assertThat(LoadBasedDemand.utilisationFromQueue(1e6)).isLessThan(1);
    }

    @Test
    void idlePrefillWorkersMeanNoArrivals() {
        LoadBasedDemand.Estimate e = demand.estimate(List.of(prefill("p0", 0, 0, 0), decode("d0", 0, 0)), 32);

        assertThat(e.workload().arrivalRate()).isZero();
        assertThat(e.requestsInPrefill()).isZero();
        assertThat(e.workload().meanOutputTokens()).isEqualTo(32);
    }

    @Test
    void aDeepPrefillQueueReadsAsUtilisationNearOneAtThePoolsCapacity() {
        // eight 4096-token prompts in the system on the one prefill worker
        LoadBasedDemand.Estimate e = demand.estimate(List.of(prefill("p0", 1, 7, 8 * 4096)), 4);

        Workload w = e.workload();
        assertThat(w.meanInputTokens()).isEqualTo(4096);
        assertThat(e.prefillUtilisation()).isCloseTo(LoadBasedDemand.utilisationFromQueue(8), within(1e-12))
                .isGreaterThan(0.9);
        double capacity = models.prefill().maxArrivalRate(w, 1);
        assertThat(w.arrivalRate()).isCloseTo(e.prefillUtilisation() * capacity, within(1e-9));
        assertThat(models.prefill().estimate(w, 1).utilisation()).isCloseTo(e.prefillUtilisation(), within(1e-9));
    }

    @Test
    void loadIsSpreadOverThePrefillWorkersAndTheHitRateInflatesThePrompt() {
        LoadBasedDemand.Estimate one = demand.estimate(List.of(prefill("p0", 1, 3, 4 * 1000)), 4);
        LoadBasedDemand.Estimate two = demand.estimate(List.of(prefill("p0", 1, 3, 4 * 1000),
                prefill("p1", 1, 3, 4 * 1000)), 4);
        assertThat(two.workload().arrivalRate()).isCloseTo(2 * one.workload().arrivalRate(), within(1e-9));

        WorkerLoad cached = new WorkerLoad("p0", WorkerRole.PREFILL, 0, 1, 3, 0, 100, 4 * 1000, 0.75);
        assertThat(demand.estimate(List.of(cached), 4).workload().meanInputTokens()).isCloseTo(4000, within(1e-9));
        assertThat(demand.estimate(List.of(cached), 4).workload().prefixHitRate()).isEqualTo(0.75);
    }

    @Test
    void decodeBatchesGiveTheOutputLength() {
        LoadBasedDemand.Estimate idleDecode = demand.estimate(List.of(prefill("p0", 1, 1, 2 * 512)), 7);
        LoadBasedDemand.Estimate busyDecode = demand.estimate(List.of(prefill("p0", 1, 1, 2 * 512),
                decode("d0", 40, 40 * 12)), 7);

        assertThat(idleDecode.workload().meanOutputTokens()).isEqualTo(7);
        assertThat(busyDecode.workload().meanOutputTokens()).isGreaterThan(7);
    }

    private static WorkerLoad prefill(String id, int running, int waiting, long tokens) {
        return new WorkerLoad(id, WorkerRole.PREFILL, 0, running, waiting, 0, 1000, tokens, 0);
    }

    private static WorkerLoad decode(String id, int running, int blocks) {
        return new WorkerLoad(id, WorkerRole.DECODE, 0, running, 0, blocks, 1000, 0, 0);
    }
}
