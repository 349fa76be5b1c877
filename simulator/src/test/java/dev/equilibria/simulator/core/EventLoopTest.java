package dev.equilibria.simulator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    @Test
    void runsEventsInTimeOrderAndTiesInSchedulingOrder() {
        EventLoop loop = new EventLoop();
        List<String> log = new ArrayList<>();
        loop.at(30, () -> log.add("c@" + loop.now()));
        loop.at(10, () -> log.add("a@" + loop.now()));
        loop.at(10, () -> {
            log.add("b@" + loop.now());
            loop.after(5, () -> log.add("nested@" + loop.now()));
        });

        loop.runUntil(Long.MAX_VALUE, EventLoop.Progress.NONE);

        assertThat(log).containsExactly("a@10", "b@10", "nested@15", "c@30");
        assertThat(loop.executedEvents()).isEqualTo(4);
    }

    @Test
    void stopsAtTheBoundAndLeavesLaterEventsQueued() {
        EventLoop loop = new EventLoop();
        List<Long> ran = new ArrayList<>();
        loop.at(5, () -> ran.add(loop.now()));
        loop.at(50, () -> ran.add(loop.now()));

        loop.runUntil(20, EventLoop.Progress.NONE);

        assertThat(ran).containsExactly(5L);
        assertThat(loop.now()).isEqualTo(20);
        assertThat(loop.isEmpty()).isFalse();
        assertThat(loop.clock().millis()).isZero();
    }

    @Test
    void anEventInThePastRunsNow() {
        EventLoop loop = new EventLoop();
        loop.at(100, () -> loop.at(1, () -> assertThat(loop.now()).isEqualTo(100)));

        loop.runUntil(Long.MAX_VALUE, EventLoop.Progress.NONE);

        assertThat(loop.now()).isEqualTo(100);
    }
}
