package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code polling-no-get}: a long-polling session that connects and keeps POSTing pongs but never
 * GETs, while 64 KiB broadcasts go out at 200/s. Everything for it queues on the server until a
 * GET comes; then one GET shows how much was kept and how long it takes to hand over.
 */
final class PollingNoGetCase implements AbuseCase {

    private static final Duration POST_PONG_EVERY = Duration.ofSeconds(10);
    private static final Duration GET_CAP = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "polling-no-get";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(60, 3);
        int rate = run.size(200, 50);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        f.put("load", "broadcast pub {seq,pad} with 64 KiB pad, " + rate + "/s for " + seconds + " s");
        f.put("polling client", "POST 40, then POST 3 every " + POST_PONG_EVERY.toSeconds() + " s, no GET until the end");
        PollingSession polling = PollingSession.open(server.port());
        int connectStatus = polling.post("40");
        f.put("POST 40 status", connectStatus);
        List<String> pongStatuses = new ArrayList<>();
        ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor();
        try (RssSampler rss = run.rss(server);
             Publisher publisher = new Publisher(SocketIoClient.connect(server.port()))) {
            long start = System.nanoTime();
            pongs.scheduleAtFixedRate(() -> {
                try {
                    int status = polling.post("3");
                    synchronized (pongStatuses) {
                        pongStatuses.add(String.format(Locale.ROOT, "%d at %.0f s", status, (System.nanoTime() - start) / 1e9));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, POST_PONG_EVERY.toMillis(), POST_PONG_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            run.say("publishing " + rate + "/s for " + seconds + " s");
            long sent = publisher.publish(rate, Duration.ofSeconds(seconds), seq -> Packets.pub(seq, Packets.PAD_64K),
                    rss::overLimit);
            pongs.shutdownNow();
            pongs.awaitTermination(15, TimeUnit.SECONDS);
            rss.sample();
            f.put("published", sent);
            if (publisher.failure() != null) {
                f.put("publisher stopped early", publisher.failure());
            }
            synchronized (pongStatuses) {
                f.put("POST 3 statuses", pongStatuses.isEmpty() ? "none sent" : String.join(", ", pongStatuses));
            }
            long rssBeforeGet = rss.sample();
            run.say("one GET");
            PollingSession.Poll poll = polling.get(GET_CAP);
            f.put("GET status", poll.status());
            f.put("GET body bytes", poll.bodyBytes());
            f.put("GET packets in body", poll.packets());
            f.put("GET took", poll.millis() + " ms");
            f.put("GET body starts", poll.start());
            if (poll.error() != null) {
                f.put("GET error", poll.error());
            }
            f.bytes("server RSS just before the GET", rssBeforeGet);
            rss.sample();
            rss.report(f, "server RSS");
            f.yesNo("server alive at the end", server.isAlive());
        } finally {
            pongs.shutdownNow();
        }
    }
}
