package dev.equilibria.allocator.actuation;

import static dev.equilibria.allocator.TestFleet.live;
import static dev.equilibria.allocator.TestFleet.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.equilibria.allocator.TestFleet.RecordingPublisher;
import dev.equilibria.control.game.Split;
import dev.equilibria.protocol.Topics;
import dev.equilibria.protocol.WorkerRole;
import dev.equilibria.protocol.event.WorkerCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalActuatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LocalActuator actuator = new LocalActuator(publisher, Duration.ofSeconds(30), registry);

    private final FleetState fleet = new FleetState(
            List.of(live("p0", WorkerRole.PREFILL), live("d0", WorkerRole.DECODE), live("d1", WorkerRole.DECODE),
                    live("d2", WorkerRole.DECODE, true), live("d3", WorkerRole.DECODE)),
            List.of(load("p0", WorkerRole.PREFILL, 4, 4, 100, 30_000),
                    load("d0", WorkerRole.DECODE, 3, 0, 500, 0),
                    load("d1", WorkerRole.DECODE, 1, 0, 900, 0),
                    load("d2", WorkerRole.DECODE, 0, 0, 0, 0),
                    load("d3", WorkerRole.DECODE, 1, 0, 200, 0)));

    @Test
    void movesTheLeastLoadedNonDrainingWorkerOfTheShrinkingPool() {
        Actuator.Actuation a = actuator.apply(new Split(1, 4), new Split(2, 3), fleet, T0);

        assertThat(a.started()).isTrue();
        assertThat(a.description()).contains("d3");
        List<WorkerCommand> commands = publisher.sent(Topics.WORKER_COMMANDS, WorkerCommand.class);
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.workerId()).isEqualTo("d3"); // d2 is idle but already draining; d1 has more KV in use
            assertThat(c.type()).isEqualTo(WorkerCommand.Type.SET_ROLE);
            assertThat(c.role()).isEqualTo(WorkerRole.PREFILL);
            assertThat(c.issuedBy()).isEqualTo(LocalActuator.ISSUER);
        });
        assertThat(publisher.sent()).singleElement().extracting(s -> s.key()).isEqualTo("d3");
    }

    @Test
    void oneWorkerPerStepAndNoNextStepUntilTheHeartbeatShowsTheNewRole() {
        actuator.apply(new Split(1, 4), new Split(3, 2), fleet, T0);

        assertThat(actuator.pending(fleet, T0.plusSeconds(5))).hasValueSatisfying(p -> assertThat(p).contains("d3"));
        assertThat(actuator.apply(new Split(1, 4), new Split(2, 3), fleet, T0.plusSeconds(5)).started()).isFalse();
        assertThat(publisher.sent()).hasSize(1);

        FleetState switched = new FleetState(List.of(live("p0", WorkerRole.PREFILL), live("d3", WorkerRole.PREFILL),
                live("d0", WorkerRole.DECODE), live("d1", WorkerRole.DECODE)), fleet.loads());
        assertThat(actuator.pending(switched, T0.plusSeconds(6))).isEmpty();
        assertThat(actuator.apply(new Split(2, 2), new Split(3, 1), switched, T0.plusSeconds(7)).started()).isTrue();
        assertThat(publisher.sent()).hasSize(2);
    }

    @Test
    void aDecisionThatMovesSeveralWorkersIsCarriedOutOneWorkerAtATime() {
        actuator.apply(new Split(1, 4), new Split(3, 2), fleet, T0);
        FleetState firstDone = new FleetState(List.of(live("p0", WorkerRole.PREFILL), live("d3", WorkerRole.PREFILL),
                live("d0", WorkerRole.DECODE), live("d1", WorkerRole.DECODE), live("d2", WorkerRole.DECODE, true)),
                fleet.loads());

        assertThat(actuator.pending(firstDone, T0.plusSeconds(3))).hasValueSatisfying(p ->
                assertThat(p).contains("next step toward 3P/2D", "d1"));
        FleetState secondDone = new FleetState(List.of(live("p0", WorkerRole.PREFILL), live("d3", WorkerRole.PREFILL),
                live("d1", WorkerRole.PREFILL), live("d0", WorkerRole.DECODE), live("d2", WorkerRole.DECODE, true)),
                fleet.loads());
        assertThat(actuator.pending(secondDone, T0.plusSeconds(6))).isEmpty();
        assertThat(publisher.sent(Topics.WORKER_COMMANDS, WorkerCommand.class)).extracting(WorkerCommand::workerId)
                .containsExactly("d3", "d1");
    }

    @Test
    void aSwitchThatNeverShowsIsGivenUpAfterTheTimeout() {
        actuator.apply(new Split(1, 4), new Split(2, 3), fleet, T0);

        assertThat(actuator.pending(fleet, T0.plusSeconds(30))).isPresent();
        assertThat(actuator.pending(fleet, T0.plusSeconds(31))).isEmpty();
        assertThat(registry.get("equilibria.allocator.actuation.timeouts").counter().count()).isEqualTo(1);
        assertThat(actuator.switching()).isEmpty();
    }

    @Test
    void cannotAddOrRemoveWorkers() {
        Actuator.Actuation grow = actuator.apply(new Split(1, 4), new Split(2, 4), fleet, T0);
        Actuator.Actuation nothing = actuator.apply(new Split(1, 4), new Split(1, 4), fleet, T0);

        assertThat(grow.started()).isFalse();
        assertThat(grow.description()).contains("cannot add or remove workers");
        assertThat(nothing.started()).isFalse();
        assertThat(publisher.sent()).isEmpty();
    }

    @Test
    void refusesWhenEveryWorkerOfTheShrinkingPoolIsDraining() {
        FleetState allDraining = new FleetState(List.of(live("p0", WorkerRole.PREFILL),
                live("d0", WorkerRole.DECODE, true)), List.of());

        Actuator.Actuation a = actuator.apply(new Split(1, 1), new Split(2, 0), allDraining, T0);

        assertThat(a.started()).isFalse();
        assertThat(a.description()).contains("no live, non-draining decode worker");
    }
}
