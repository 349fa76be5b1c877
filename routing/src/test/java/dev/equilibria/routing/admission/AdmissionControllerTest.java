package dev.equilibria.routing.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.routing.admission.AdmissionController.State;
import dev.equilibria.routing.admission.AdmissionController.Ticket;
import dev.equilibria.routing.ledger.WorkerLoad;
import dev.equilibria.routing.registry.Heartbeats;
import dev.equilibria.routing.registry.LiveWorker;
import dev.equilibria.routing.registry.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {

    private final TestClock clock = new TestClock(Instant.EPOCH);
    private int free = 2;
    private final AdmissionController admission = new AdmissionController(2, clock, model -> free);
    private final List<String> heard = new ArrayList<>();
    private final AdmissionController.Listener listener = new AdmissionController.Listener() {
        @Override
        public void admitted(Ticket ticket) {
            heard.add("admitted");
        }

        @Override
        public void expired(Ticket ticket) {
            heard.add("expired");
        }
    };

    @Test
    void admitsWhileThereIsRoomCountingAdmittedButUndispatchedRequests() {
        Ticket first = request(10);
        Ticket second = request(10);
        Ticket third = request(10); // two free slots, both taken by requests not yet in the ledger

        assertThat(first.state()).isEqualTo(State.ADMITTED);
        assertThat(second.state()).isEqualTo(State.ADMITTED);
        assertThat(third.state()).isEqualTo(State.WAITING);
        assertThat(admission.depth()).isEqualTo(1);
    }

    @Test
    void queuesWhenEveryWorkerIsOverItsThresholdAndRejectsPastTheBound() {
        free = 0;
        Ticket a = request(10);
        Ticket b = request(10);
        Ticket c = request(10);

        assertThat(List.of(a.state(), b.state(), c.state()))
                .containsExactly(State.WAITING, State.WAITING, State.REJECTED);

        free = 1;
        admission.poll();
        assertThat(a.state()).isEqualTo(State.ADMITTED);
        assertThat(b.state()).isEqualTo(State.WAITING); // a holds the one free slot until dispatched
        a.dispatched();
        free = 1; // the ledger now counts a; one more slot opened elsewhere
        admission.poll();
        assertThat(b.state()).isEqualTo(State.ADMITTED);
        assertThat(heard).containsExactly("admitted", "admitted");
        assertThat(b.waited()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRequestWhoseDeadlinePassesInTheQueueExpires() {
        free = 0;
        Ticket t = request(5);
        clock.advance(Duration.ofSeconds(4));
        admission.poll();
        assertThat(t.state()).isEqualTo(State.WAITING);

        clock.advance(Duration.ofSeconds(1));
        admission.poll();

        assertThat(t.state()).isEqualTo(State.EXPIRED);
        assertThat(t.waited()).isEqualTo(Duration.ofSeconds(5));
        assertThat(heard).containsExactly("expired");
        assertThat(admission.depth()).isZero();
    }

    @Test
    void aCancelledWaiterLeavesTheQueue() {
        free = 0;
        Ticket t = request(5);
        t.cancel();

        assertThat(t.state()).isEqualTo(State.CANCELLED);
        assertThat(admission.depth()).isZero();
        free = 1;
        admission.poll();
        assertThat(heard).isEmpty();
    }

    @Test
    void newcomersQueueBehindWaitersEvenWhenRoomOpens() {
        free = 0;
        Ticket waiting = request(10);
        free = 5;
        Ticket newcomer = request(10);

        assertThat(newcomer.state()).isEqualTo(State.WAITING);
        admission.poll();
        assertThat(waiting.state()).isEqualTo(State.ADMITTED);
        assertThat(newcomer.state()).isEqualTo(State.ADMITTED);
    }

    @Test
    void workerLimitsComeFromCapacityUnlessSet() {
        LiveWorker worker = new LiveWorker(Heartbeats.of("w", dev.equilibria.protocol.WorkerRole.PREFILL),
                Instant.EPOCH, Instant.EPOCH); // max_num_seqs 64, max_num_batched_tokens 8192

        assertThat(WorkerLimits.DERIVED.freeSlots(worker, new WorkerLoad(0, 0, 60))).isEqualTo(4);
        assertThat(WorkerLimits.DERIVED.freeSlots(worker, new WorkerLoad(32 * 8192, 0, 1))).isZero();
        assertThat(new WorkerLimits(10, 100).freeSlots(worker, new WorkerLoad(99, 0, 7))).isEqualTo(3);
        assertThat(new WorkerLimits(10, 100).saturated(worker, new WorkerLoad(100, 0, 0))).isTrue();
    }

    private Ticket request(long deadlineSeconds) {
        return admission.request("m", clock.instant().plusSeconds(deadlineSeconds), listener);
    }
}
