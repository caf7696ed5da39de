package io.wsk.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicTaskTest {

    /** A plain scheduleWithFixedDelay would stop for good after the first throw. */
    @Test
    void aPassThatThrowsDoesNotStopTheNextOnes() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger passes = new AtomicInteger();
            PeriodicTask.every(scheduler, Duration.ZERO, Duration.ofMillis(5), "a test task", () -> {
                if (passes.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("every other pass fails");
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 10);
        } finally {
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
