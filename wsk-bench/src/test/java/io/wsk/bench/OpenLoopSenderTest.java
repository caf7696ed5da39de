package io.wsk.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OpenLoopSenderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Long> stamps = new ArrayList<>();

    @Test
    void sendsEveryMessageOfTheWindowStampedWithItsOwnTime() throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(40);
        OpenLoopSender sender = new OpenLoopSender(channel, 1000, start, end, this::write);
        sender.start();
        drive(sender);

        assertThat(sender.written()).isEqualTo(40);
        assertThat(stamps).hasSize(40);
        for (int i = 0; i < stamps.size(); i++) {
            assertThat(stamps.get(i)).isEqualTo(start + i * 1_000_000L);
        }
        assertThat(channel.outboundMessages()).hasSize(40);
    }

    @Test
    void aLateLoopSendsTheBacklogAtOnceWithTheTimesItWasDue() throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(30);
        OpenLoopSender sender = new OpenLoopSender(channel, 1000, start, end, this::write);
        Thread.sleep(20); // the loop stalls before its first pass
        long firstPass = System.nanoTime();
        sender.run(); // the first pass, as the loop runs it; the next is only scheduled

        // Everything due during the stall left in that first pass, stamped with when it was due,
        // not when it left: a stall shows as latency (no coordinated omission).
        assertThat(stamps).hasSizeGreaterThanOrEqualTo(20);
        assertThat(stamps.get(0)).isEqualTo(start);
        assertThat(stamps.get(stamps.size() - 1)).isLessThanOrEqualTo(firstPass);
        drive(sender);
        assertThat(stamps).hasSize(30);
    }

    @Test
    void aPassComesNoSoonerThanAQuantumAfterTheLastAndNoLaterThanTheNextMessageIsDue() {
        long passStart = 1_000_000_000L;
        long quantum = OpenLoopSender.SEND_QUANTUM_NANOS;

        // 100,000 messages/s: the next is due in 10 us, so messages wait for the quantum and leave together.
        assertThat(OpenLoopSender.nextPass(passStart + 10_000, passStart)).isEqualTo(passStart + quantum);
        // Behind schedule: the backlog leaves a quantum later, not in a pass per message.
        assertThat(OpenLoopSender.nextPass(passStart - 5_000, passStart)).isEqualTo(passStart + quantum);
        // 1,000 messages/s: each message has a pass of its own, when it is due.
        assertThat(OpenLoopSender.nextPass(passStart + 1_000_000, passStart)).isEqualTo(passStart + 1_000_000);
    }

    @Test
    void belowTheQuantumEachMessageHasAPassOfItsOwnWhenItIsDue() {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        OpenLoopSender sender = new OpenLoopSender(channel, 1000, start, start + TimeUnit.SECONDS.toNanos(60), this::write);
        sender.run();

        assertThat(stamps).isEmpty();
        long untilNextPass = channel.runScheduledPendingTasks();
        assertThat(untilNextPass).isBetween(TimeUnit.MILLISECONDS.toNanos(90), TimeUnit.MILLISECONDS.toNanos(100));
        channel.close();
    }

    @Test
    void stopsWhenTheChannelCloses() throws Exception {
        long start = System.nanoTime();
        OpenLoopSender sender = new OpenLoopSender(channel, 1000, start, start + TimeUnit.SECONDS.toNanos(60), this::write);
        sender.run();
        assertThat(sender.await(0, TimeUnit.NANOSECONDS)).as("finished while the channel is open").isFalse();
        channel.close();
        sender.run(); // the pass that was scheduled (the embedded loop drops scheduled tasks on close)
        assertThat(sender.await(0, TimeUnit.NANOSECONDS)).isTrue();
        assertThat(sender.written()).isLessThan(100);
    }

    private void write(io.netty.channel.Channel target, long scheduled) {
        stamps.add(scheduled);
        target.write("message " + scheduled);
    }

    /** Runs the embedded loop's tasks, as its thread would, until the sender is done (5 s at most). */
    private void drive(OpenLoopSender sender) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sender.await(0, TimeUnit.NANOSECONDS) && System.nanoTime() < deadline) {
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
            Thread.sleep(0, 200_000);
        }
    }
}
