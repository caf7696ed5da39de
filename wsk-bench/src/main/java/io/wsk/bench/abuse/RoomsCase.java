package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code rooms}: what one socket can make the server keep through {@code join}: (a) 100,000
 * distinct rooms, (b) 200 rooms with names of 500,000 characters (100 MB of names). Live heap
 * after a full GC before and after each, and whether the socket was cut off for it.
 */
final class RoomsCase implements AbuseCase {

    private static final int LONG_NAME_CHARS = 500_000;
    private static final Duration CAP = Duration.ofSeconds(90);

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int manyRooms = run.size(100_000, 1_000);
        int longRooms = run.size(200, 5);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        f.put("load", String.format(Locale.ROOT, "(a) one socket joins %d rooms r-N with acks, 64 in flight; "
                + "(b) another joins %d rooms named with %d chars each, 8 in flight", manyRooms, longRooms, LONG_NAME_CHARS));
        try (RssSampler rss = run.rss(server);
             AckedSender many = new AckedSender("rooms-many", SocketIoClient.connect(server.port()));
             AckedSender longNames = new AckedSender("rooms-long", SocketIoClient.connect(server.port()))) {
            long heapStart = LiveHeap.afterFullGc(server.pid());
            f.bytes("live heap after a full GC, before (a)", heapStart);

            run.say("(a) joining " + manyRooms + " rooms");
            AckedSender.Outcome a = many.run(manyRooms, id -> "42" + id + "[\"join\",\"r-" + id + "\"]", 64, CAP);
            report(f, "(a)", a);
            long heapA = LiveHeap.afterFullGc(server.pid());
            f.bytes("live heap after a full GC, after (a)", heapA);
            growth(f, "(a)", heapStart, heapA);
            f.put("(a) socket", many.connection());

            run.say("(b) joining " + longRooms + " rooms with " + LONG_NAME_CHARS + "-char names");
            String padding = "x".repeat(LONG_NAME_CHARS);
            AckedSender.Outcome b = longNames.run(longRooms, id -> {
                String prefix = "r-" + id + "-";
                return "42" + id + "[\"join\",\"" + prefix + padding.substring(prefix.length()) + "\"]";
            }, 8, CAP);
            report(f, "(b)", b);
            long heapB = LiveHeap.afterFullGc(server.pid());
            f.bytes("live heap after a full GC, after (b)", heapB);
            growth(f, "(b)", heapA, heapB);
            f.put("(b) socket", longNames.connection());
            f.put("(a) socket at the end", many.connection());
            rss.report(f, "server RSS");
            f.yesNo("server alive at the end", server.isAlive());
        }
    }

    private static void report(Figures f, String part, AckedSender.Outcome outcome) {
        f.put(part + " joins sent", outcome.sent());
        f.put(part + " joins acked", outcome.acked());
        f.put(part + " took", Text.seconds(outcome.seconds()));
        if (outcome.stopped() != null) {
            f.put(part + " stopped early", outcome.stopped());
        }
    }

    private static void growth(Figures f, String part, long before, long after) {
        if (before >= 0 && after >= 0) {
            f.signedBytes(part + " live heap growth", after - before);
        }
    }
}
