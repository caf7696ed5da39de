package io.wsk.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ReconnectGrace}: the task runs once the latest connection is a grace period old, never sooner. */
class ReconnectGraceTest {

    private static final Duration GRACE = Duration.ofMillis(400);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> runs = new CopyOnWriteArrayList<>();
    private final ReconnectGrace grace = new ReconnectGrace(scheduler, GRACE, () -> runs.add(System.nanoTime()));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void runsTheTaskAGracePeriodAfterAConnection() {
        long connected = System.nanoTime();
        grace.connected();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
        assertThat(Duration.ofNanos(runs.get(0) - connected)).isGreaterThanOrEqualTo(GRACE);
    }

    /** The wait of an earlier connection must not end right after a later one (the race it exists for). */
    @Test
    void aLaterConnectionRestartsTheWait() throws InterruptedException {
        grace.connected();
        Thread.sleep(GRACE.toMillis() / 2);
        long reconnected = System.nanoTime();
        grace.connected();
        await().atMost(Duration.ofSeconds(5)).until(() -> !runs.isEmpty());
        assertThat(Duration.ofNanos(runs.get(0) - reconnected)).isGreaterThanOrEqualTo(GRACE);
        Thread.sleep(GRACE.toMillis());
        assertThat(runs).as("once, for the latest connection").hasSize(1);
    }

    @Test
    void runsTheTaskAsSoonAsTheOthersAreBackButNotBefore() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean back = new java.util.concurrent.atomic.AtomicBoolean();
        ReconnectGrace early = new ReconnectGrace(scheduler, Duration.ofSeconds(30), () -> runs.add(System.nanoTime()),
                () -> java.util.concurrent.CompletableFuture.completedFuture(back.get()));
        early.connected();
        Thread.sleep(300);
        assertThat(runs).as("the others are not back").isEmpty();
        assertThat(early.waiting()).isTrue();
        back.set(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> runs.size() == 1);
        Thread.sleep(300);
        assertThat(runs).as("once").hasSize(1);
        assertThat(early.waiting()).isFalse();
    }

    @Test
    void aClosedSchedulerIsNoError() {
        scheduler.shutdownNow();
        grace.connected();
        assertThat(runs).isEmpty();
    }
}
