package io.wsk.redis;

import io.wsk.testkit.SocketIoClient;
import io.wsk.testkit.SocketIoClient.Received;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A steady stream of numbered broadcasts ({@code n}, 0 to total - 1) from one node, paced against
 * the clock, and the tally of what a client got of it: how many lost, duplicated, out of order,
 * and where the gap was. What the failover and outage tests measure and print.
 */
final class NumberedBroadcasts {

    private final Thread publisher;
    private final int total;
    private final int perSecond;
    private volatile long startNanos;

    private NumberedBroadcasts(WskNode from, int total, int perSecond) {
        this.total = total;
        this.perSecond = perSecond;
        this.publisher = new Thread(() -> {
            startNanos = System.nanoTime();
            long every = 1_000_000_000L / perSecond;
            for (int i = 0; i < total; i++) {
                while (System.nanoTime() - startNanos < i * every) {
                    Thread.onSpinWait();
                }
                from.io().emit("n", i);
            }
        }, "publisher");
    }

    /** Starts {@code total} broadcasts of {@code n} from {@code from}, {@code perSecond} a second. */
    static NumberedBroadcasts start(WskNode from, int total, int perSecond) {
        NumberedBroadcasts stream = new NumberedBroadcasts(from, total, perSecond);
        stream.publisher.start();
        return stream;
    }

    /** The number being published about now. */
    int current() {
        long elapsed = System.nanoTime() - startNanos;
        return (int) Math.min(total - 1, elapsed / (1_000_000_000L / perSecond));
    }

    /** Waits (bounded) for the last broadcast to be issued; whether it was. */
    boolean join(long millis) throws InterruptedException {
        publisher.join(millis);
        return !publisher.isAlive();
    }

    int total() {
        return total;
    }

    static List<Integer> numbers(SocketIoClient client) {
        return client.allReceived("n").stream().map((Received r) -> r.args().get(0).asInt()).toList();
    }

    /** What {@code seen} (in arrival order) lacks, repeats or has out of order. */
    record Tally(int total, int received, int lost, int duplicated, int reordered, String gaps) {
        @Override
        public String toString() {
            return received + " of " + total + " received, " + lost + " lost" + (lost == 0 ? "" : " (" + gaps + ")")
                    + ", " + duplicated + " duplicated, " + reordered + " out of order";
        }
    }

    Tally tally(List<Integer> seen) {
        Set<Integer> distinct = new HashSet<>();
        int duplicated = 0;
        int reordered = 0;
        int highest = -1;
        for (int n : seen) {
            if (!distinct.add(n)) {
                duplicated++;
            } else if (n < highest) {
                reordered++;
            }
            highest = Math.max(highest, n);
        }
        StringBuilder gaps = new StringBuilder();
        int runStart = -1;
        for (int i = 0; i <= total; i++) {
            boolean missing = i < total && !distinct.contains(i);
            if (missing && runStart < 0) {
                runStart = i;
            } else if (!missing && runStart >= 0) {
                gaps.append(gaps.length() == 0 ? "" : ", ").append(runStart == i - 1 ? "" + runStart : runStart + " to " + (i - 1));
                runStart = -1;
            }
        }
        return new Tally(total, seen.size(), total - distinct.size(), duplicated, reordered, gaps.toString());
    }
}
