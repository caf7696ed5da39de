package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.List;

/**
 * {@code ws-slow-reader}: one WebSocket client that stops reading (but keeps sending pongs, so a
 * heartbeat that only checks pongs thinks it alive) while 64 KiB broadcasts go out at 200/s,
 * beside a well-behaved receiver. How much does the server keep for the stalled one, does it
 * ever cut it off, and does the healthy one still get every event in order?
 */
final class WsSlowReaderCase implements AbuseCase {

    @Override
    public String name() {
        return "ws-slow-reader";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(60, 3);
        int rate = run.size(200, 50);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        int port = server.port();
        f.put("load", "broadcast pub {seq,pad} with 64 KiB pad, " + rate + "/s for " + seconds + " s");
        f.put("stalled client setup", "receive buffer " + StalledClient.RECEIVE_BUFFER + " B, never reads after CONNECT, "
                + "writes pong 3 every 10 s");
        try (RssSampler rss = run.rss(server);
             Receiver receiver = new Receiver("receiver", SocketIoClient.connect(port));
             StalledClient stalled = StalledClient.connect(port, Duration.ofSeconds(10));
             Publisher publisher = new Publisher(SocketIoClient.connect(port))) {
            long start = System.nanoTime();
            try (ConnectionWatch watch = new ConnectionWatch(port, stalled.localPort(), start)) {
                run.say("publishing " + rate + "/s for " + seconds + " s");
                long sent = publisher.publish(rate, Duration.ofSeconds(seconds), seq -> Packets.pub(seq, Packets.PAD_64K),
                        rss::overLimit);
                double publishSeconds = (System.nanoTime() - start) / 1e9;
                receiver.awaitSettled(sent, Duration.ofSeconds(5), Duration.ofSeconds(30));
                rss.sample();
                f.put("published", sent);
                f.put("publishing took", Text.seconds(publishSeconds));
                if (publisher.failure() != null) {
                    f.put("publisher stopped early", publisher.failure());
                }
                SequenceChecker seq = receiver.checker();
                f.put("receiver received", seq.received());
                f.put("receiver lost", seq.lost(sent));
                f.put("receiver out of order", seq.outOfOrder());
                f.put("receiver duplicated", seq.duplicates());
                f.put("receiver connection", receiver.ending());
                rss.report(f, "server RSS");
                SocketTable.Ends ends = watch.look();
                f.put("stalled connection, server end at the end", ends.describe(ends.server()));
                f.put("stalled connection, client end at the end", ends.describe(ends.client()));
                f.put("stalled connection, server end states seen", watch.serverHistory());
                f.put("stalled connection, client end states seen", watch.clientHistory());
                double closedAt = watch.serverLeftEstablishedAt();
                f.put("stalled connection closed by the server", closedAt < 0 ? "no (its end stayed ESTAB)"
                        : "yes, its end left ESTAB " + Text.seconds(closedAt) + " after publishing began");
                f.put("stalled client pongs", stalled.pongOutcome());
                f.yesNo("server alive after the load", server.isAlive());
            }
            run.say("draining the stalled client");
            stalled.drain(Duration.ofSeconds(5), Duration.ofSeconds(30)).report(f, "stalled client drain");
            f.yesNo("server alive at the end", server.isAlive());
        }
    }
}
