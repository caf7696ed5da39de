package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code redis-order}: two nodes on one Redis, a publisher on node A at 1,000 events/s, 10
 * receivers on node B checking the sequence; Redis is killed (SIGKILL) at 8 s and started again
 * on the same port at 14 s. What is lost, duplicated or reordered across the outage, and when
 * does delivery resume?
 */
final class RedisOrderCase implements AbuseCase {

    private static final int RECEIVERS = 10;

    @Override
    public String name() {
        return "redis-order";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(30, 6);
        int rate = run.size(1000, 200);
        double killAt = seconds * 8 / 30.0;
        double restartAt = seconds * 14 / 30.0;
        Figures f = run.figures();
        int redisPort = CaseRun.freePort();
        AtomicReference<ServerProcess> redis = new AtomicReference<>(run.startRedis(redisPort, 1));
        String url = "redis://" + ServerProcess.HOST + ":" + redisPort;
        List<String> adapter = List.of("--adapter", "redis", "--redis-url", url);
        ServerProcess a = run.startWsk("server A", adapter);
        ServerProcess b = run.startWsk("server B", adapter);
        f.put("load", String.format(Locale.ROOT, "pub {seq} on node A at %d/s for %d s; %d receivers on node B; "
                + "redis-server killed (SIGKILL) at %.1f s, started again on the same port at %.1f s",
                rate, seconds, RECEIVERS, killAt, restartAt));
        List<Receiver> receivers = new ArrayList<>();
        try (Publisher publisher = new Publisher(SocketIoClient.connect(a.port()))) {
            for (int i = 0; i < RECEIVERS; i++) {
                receivers.add(new Receiver("receiver-" + i, SocketIoClient.connect(b.port())));
            }
            Thread.sleep(500); // node B's subscriptions for the new sockets' rooms
            long start = System.nanoTime();
            List<String> timeline = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Double> backAt = new AtomicReference<>();
            Thread outage = new Thread(() -> {
                try {
                    sleepUntil(start, killAt);
                    redis.get().close();
                    timeline.add(String.format(Locale.ROOT, "killed at %.1f s", since(start)));
                    sleepUntil(start, restartAt);
                    redis.set(run.startRedis(redisPort, 2));
                    backAt.set(since(start));
                    timeline.add(String.format(Locale.ROOT, "listening again at %.1f s", backAt.get()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    timeline.add("restart failed: " + e.getMessage());
                }
            }, "redis-outage");
            outage.start();
            run.say("publishing " + rate + "/s for " + seconds + " s, Redis down from " + killAt + " s to " + restartAt + " s");
            long sent = publisher.publish(rate, Duration.ofSeconds(seconds), Packets::pub, () -> false);
            outage.join(60_000);
            Receiver.awaitSettled(receivers, sent, Duration.ofSeconds(5), Duration.ofSeconds(30));
            f.put("published", sent);
            if (publisher.failure() != null) {
                f.put("publisher stopped early", publisher.failure());
            }
            f.put("redis-server", String.join(", ", timeline));
            long received = 0;
            long lost = 0;
            long duplicated = 0;
            long outOfOrder = 0;
            double latestResume = -1;
            for (int i = 0; i < receivers.size(); i++) {
                Receiver receiver = receivers.get(i);
                SequenceChecker seq = receiver.checker();
                received += seq.received();
                lost += seq.lost(sent);
                duplicated += seq.duplicates();
                outOfOrder += seq.outOfOrder();
                long[] gap = seq.longestGap();
                String gapText = gap == null ? "none" : String.format(Locale.ROOT, "%.2f s, from %.2f s to %.2f s",
                        (gap[1] - gap[0]) / 1e9, (gap[0] - start) / 1e9, (gap[1] - start) / 1e9);
                if (gap != null) {
                    latestResume = Math.max(latestResume, (gap[1] - start) / 1e9);
                }
                f.put("receiver " + i, String.format(Locale.ROOT, "received %d, lost %d, duplicated %d, out of order %d, "
                        + "longest pause between deliveries %s; %s", seq.received(), seq.lost(sent), seq.duplicates(),
                        seq.outOfOrder(), gapText, receiver.ending()));
            }
            f.put("total received", received);
            f.put("total expected (published x receivers)", sent * RECEIVERS);
            f.put("total lost", lost);
            f.put("total duplicated", duplicated);
            f.put("total out of order", outOfOrder);
            f.put("delivery resumed (end of the longest pause, latest receiver)",
                    latestResume < 0 ? "no pause seen" : Text.seconds(latestResume) + " after publishing began");
            if (latestResume >= 0 && backAt.get() != null) {
                f.put("delivery resumed after Redis listened again", Text.seconds(latestResume - backAt.get()));
            }
            f.put("node A /ready at the end", HttpProbe.get(a.port(), "/ready", Duration.ofSeconds(5)).describe());
            f.put("node B /ready at the end", HttpProbe.get(b.port(), "/ready", Duration.ofSeconds(5)).describe());
            f.yesNo("nodes alive at the end", a.isAlive() && b.isAlive());
        } finally {
            receivers.forEach(Receiver::close);
        }
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sleepUntil(long start, double seconds) throws InterruptedException {
        long wait = start + (long) (seconds * 1e9) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
