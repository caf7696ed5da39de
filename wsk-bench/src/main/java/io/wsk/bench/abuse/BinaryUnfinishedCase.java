package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code binary-unfinished}: 50 sockets each announce a binary event with 10 attachments, send 9
 * of them (999,000 bytes each, just under the 1,000,000-byte message limit) and never the tenth,
 * then stay alive answering pings. A server that holds partial binary packets without a bound
 * keeps about 9 MB per socket for as long as the socket lives.
 */
final class BinaryUnfinishedCase implements AbuseCase {

    private static final int ANNOUNCED = 10;
    private static final int SENT = 9;
    private static final int ATTACHMENT_BYTES = 999_000;

    @Override
    public String name() {
        return "binary-unfinished";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int sockets = run.size(50, 5);
        int holdSeconds = run.seconds(30, 3);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        f.put("load", sockets + " sockets each send " + Packets.binaryEventHeader("echo", ANNOUNCED).substring(0, 24)
                + "...] (" + ANNOUNCED + " placeholders), then " + SENT + " binary frames of " + ATTACHMENT_BYTES
                + " B, then answer pings for " + holdSeconds + " s");
        String header = Packets.binaryEventHeader("echo", ANNOUNCED);
        byte[] attachment = new byte[ATTACHMENT_BYTES];
        Arrays.fill(attachment, (byte) 'z');
        // Masked once, sent again for every attachment: the server cannot tell, and 450 MB need not be remasked.
        byte[] attachmentFrame = WsFrameCodec.encode(WsFrame.BINARY, attachment);
        List<Receiver> clients = new ArrayList<>();
        try (RssSampler rss = run.rss(server)) {
            for (int i = 0; i < sockets; i++) {
                clients.add(new Receiver("binary-" + i, SocketIoClient.connect(server.port())));
            }
            long heapBefore = LiveHeap.afterFullGc(server.pid());
            f.bytes("live heap after a full GC, before", heapBefore);
            run.say("sending " + sockets + " unfinished binary events");
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(4);
            long start = System.nanoTime();
            for (Receiver client : clients) {
                senders.execute(() -> {
                    try {
                        client.client().send(header);
                        for (int a = 0; a < SENT; a++) {
                            client.client().ws().send(attachmentFrame);
                        }
                        completed.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                });
            }
            senders.shutdown();
            if (!senders.awaitTermination(120, TimeUnit.SECONDS)) {
                clients.forEach(Receiver::close); // frees writes blocked on a server that stopped reading
                senders.awaitTermination(10, TimeUnit.SECONDS);
            }
            f.put("sockets that sent all " + SENT + " attachments", completed.get());
            f.put("sockets whose sending failed", failed.get());
            f.put("sending took", Text.seconds((System.nanoTime() - start) / 1e9));
            f.bytes("attachment bytes sent, all sockets", (long) completed.get() * SENT * ATTACHMENT_BYTES);
            run.say("holding for " + holdSeconds + " s");
            Thread.sleep(holdSeconds * 1000L);
            long connected = clients.stream().filter(Receiver::connected).count();
            f.put("sockets still connected at the end", connected + " of " + sockets);
            clients.stream().filter(c -> !c.connected()).findFirst()
                    .ifPresent(c -> f.put("first disconnected socket", c.ending()));
            f.put("pings answered, all sockets", clients.stream().mapToLong(c -> c.client().pingsAnswered()).sum());
            long heapAfter = LiveHeap.afterFullGc(server.pid());
            f.bytes("live heap after a full GC, after", heapAfter);
            if (heapBefore >= 0 && heapAfter >= 0) {
                f.signedBytes("live heap growth", heapAfter - heapBefore);
            }
            rss.report(f, "server RSS");
            f.yesNo("server alive at the end", server.isAlive());
        } finally {
            clients.forEach(Receiver::close);
        }
    }
}
