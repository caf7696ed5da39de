package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.List;

/**
 * {@code ping-timeout-unread}: a WebSocket client that stops reading and sends no pongs either,
 * while 64 KiB broadcasts go out, for longer than ping interval + ping timeout (25 + 20 s by
 * default). The server should by then have given up on the session; does the TCP connection,
 * and the data queued for it, go too?
 */
final class PingTimeoutUnreadCase implements AbuseCase {

    @Override
    public String name() {
        return "ping-timeout-unread";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(75, 5);
        int rate = run.size(200, 50);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        int port = server.port();
        f.put("load", "broadcast pub {seq,pad} with 64 KiB pad, " + rate + "/s for " + seconds + " s");
        f.put("stalled client setup", "receive buffer " + StalledClient.RECEIVE_BUFFER + " B, never reads after CONNECT, no pongs");
        try (RssSampler rss = run.rss(server);
             StalledClient stalled = StalledClient.connect(port, null);
             Publisher publisher = new Publisher(SocketIoClient.connect(port))) {
            long heapBefore = LiveHeap.afterFullGc(server.pid());
            long start = System.nanoTime();
            try (ConnectionWatch watch = new ConnectionWatch(port, stalled.localPort(), start)) {
                run.say("publishing " + rate + "/s for " + seconds + " s");
                long sent = publisher.publish(rate, Duration.ofSeconds(seconds), seq -> Packets.pub(seq, Packets.PAD_64K),
                        rss::overLimit);
                rss.sample();
                f.put("published", sent);
                f.put("publishing took", Text.seconds((System.nanoTime() - start) / 1e9));
                if (publisher.failure() != null) {
                    f.put("publisher stopped early", publisher.failure());
                }
                SocketTable.Ends ends = watch.look();
                f.yesNo("connection still ESTABLISHED at the end (server end)",
                        ends.server().map(TcpSocket::established).orElse(false));
                f.yesNo("connection still ESTABLISHED at the end (client end)",
                        ends.client().map(TcpSocket::established).orElse(false));
                f.put("server end at the end", ends.describe(ends.server()));
                f.put("client end at the end", ends.describe(ends.client()));
                f.put("server Send-Q bytes at the end", ends.server().map(TcpSocket::sendQueue).orElse(0L));
                f.put("client Recv-Q bytes at the end", ends.client().map(TcpSocket::receiveQueue).orElse(0L));
                f.put("server end states seen", watch.serverHistory());
                f.put("client end states seen", watch.clientHistory());
                double closedAt = watch.serverLeftEstablishedAt();
                f.put("closed by the server", closedAt < 0 ? "no (its end stayed ESTAB)"
                        : "yes, its end left ESTAB " + Text.seconds(closedAt) + " after publishing began");
                rss.report(f, "server RSS");
                // Whether what was queued for the dead session is still referenced, or only not yet returned to the OS.
                long heapAfter = LiveHeap.afterFullGc(server.pid());
                f.bytes("live heap after a full GC, before the load", heapBefore);
                f.bytes("live heap after a full GC, at the end", heapAfter);
                f.yesNo("server alive at the end", server.isAlive());
            }
        }
    }
}
