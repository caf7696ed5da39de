package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code echo-flood}: four clients send 64 KiB {@code echo} events (no ack, so the server emits
 * each back) as fast as their sockets take them, and read the replies at 4 KiB per 50 ms. A
 * server that keeps reading while it cannot write queues every reply in memory.
 */
final class EchoFloodCase implements AbuseCase {

    private static final int CLIENTS = 4;
    private static final int TRICKLE_BYTES = 4096;
    private static final int TRICKLE_MILLIS = 50;

    @Override
    public String name() {
        return "echo-flood";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(14, 3);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        f.put("load", CLIENTS + " clients send 42[\"echo\",\"<64 KiB>\"] as fast as the socket takes it for " + seconds
                + " s, each reading " + TRICKLE_BYTES + " B every " + TRICKLE_MILLIS + " ms");
        String packet = Packets.event("echo", Packets.PAD_64K, -1);
        List<Flooder> flooders = new ArrayList<>();
        try (RssSampler rss = run.rss(server)) {
            for (int i = 0; i < CLIENTS; i++) {
                flooders.add(new Flooder("echo-flooder-" + i, SocketIoClient.connect(server.port()), packet,
                        TRICKLE_BYTES, TRICKLE_MILLIS));
            }
            long start = System.nanoTime();
            flooders.forEach(Flooder::start);
            run.say("flooding for " + seconds + " s");
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && !rss.overLimit() && server.isAlive()) {
                Thread.sleep(100);
            }
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            rss.sample();
            for (Flooder flooder : flooders) {
                flooder.stopWriting();
            }
            long sent = 0;
            for (int i = 0; i < flooders.size(); i++) {
                Flooder flooder = flooders.get(i);
                sent += flooder.sent();
                f.put("client " + i, String.format(Locale.ROOT, "sent %d events, read %d B, %s", flooder.sent(),
                        flooder.bytesRead(), flooder.connection()));
            }
            f.put("flood lasted", Text.seconds(floodSeconds));
            f.put("events sent, all clients", sent);
            f.bytes("payload bytes sent, all clients", sent * Packets.PAD_64K.length());
            f.put("clients disconnected by the server", flooders.stream().filter(Flooder::disconnected).count());
            rss.report(f, "server RSS");
            f.yesNo("server alive after the flood", server.isAlive());
        } finally {
            for (Flooder flooder : flooders) {
                flooder.close();
            }
        }
        Thread.sleep(5000);
        f.bytes("server RSS 5 s after the clients closed", server.rssBytes());
        f.yesNo("server alive at the end", server.isAlive());
    }
}
