package io.wsk.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TimerSlackTest {

    @Test
    @EnabledOnOs(OS.LINUX) // the generator's platform; the slack is a Linux procfs knob
    void aThreadTakesItsOwnSlackAwayAndNoOtherThreadsSlack() throws Exception {
        AtomicLong before = new AtomicLong();
        AtomicLong after = new AtomicLong();
        Thread sender = new Thread(() -> {
            before.set(TimerSlack.currentThreadSlackNanos());
            TimerSlack.minimizeForCurrentThread();
            after.set(TimerSlack.currentThreadSlackNanos());
        });
        sender.start();
        sender.join();

        assertThat(before.get()).isGreaterThan(1);
        assertThat(after.get()).isEqualTo(1);
        assertThat(TimerSlack.currentThreadSlackNanos()).isEqualTo(before.get());
    }
}
