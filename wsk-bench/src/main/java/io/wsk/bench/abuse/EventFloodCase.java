package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code event-flood}: a victim doing ping-pong echo with ack, first alone, then while four
 * flooders send small {@code echo} events (no ack) as fast as they can and read all the replies.
 * Does one client's flood raise everyone else's latency, and does the server push back on the
 * flooders (disconnect, slow them)?
 */
final class EventFloodCase implements AbuseCase {

    private static final int FLOODERS = 4;

    @Override
    public String name() {
        return "event-flood";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int seconds = run.seconds(10, 2);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        f.put("load", "victim: 42<id>[\"echo\",\"x\"] then wait for its ack, in a loop"
                + (run.victimRate() > 0 ? " (at most " + run.victimRate() + " a second)" : "") + "; phase 1 alone for " + seconds
                + " s; phase 2 with " + FLOODERS + " flooders sending 42[\"echo\",\"y\"] as fast as they can, reading all, for "
                + seconds + " s");
        List<Flooder> flooders = new ArrayList<>();
        try (RssSampler rss = run.rss(server);
             EchoVictim victim = new EchoVictim(SocketIoClient.connect(server.port()), 3, run.victimRate())) {
            for (int i = 0; i < FLOODERS; i++) {
                flooders.add(new Flooder("event-flooder-" + i, SocketIoClient.connect(server.port()),
                        Packets.event("echo", "y", -1), 0, 0));
            }
            victim.start();
            run.say("phase 1: the victim alone for " + seconds + " s");
            Thread.sleep(seconds * 1000L);
            victim.phase(1);
            run.say("phase 2: with " + FLOODERS + " flooders for " + seconds + " s");
            long start = System.nanoTime();
            flooders.forEach(Flooder::start);
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && !rss.overLimit()) {
                Thread.sleep(100);
            }
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            victim.phase(2); // what the backlog of the flood costs afterwards is not phase 2's
            long sent = flooders.stream().mapToLong(Flooder::sent).sum();
            long received = flooders.stream().mapToLong(Flooder::received).sum();
            for (Flooder flooder : flooders) {
                flooder.stopWriting();
            }
            latency(f, "phase 1 (alone) victim", victim.histogram(0));
            latency(f, "phase 2 (flooded) victim", victim.histogram(1));
            if (victim.failure() != null) {
                f.put("victim stopped", victim.failure());
            }
            f.put("flooders' events sent", sent);
            f.put("flooders' send rate", String.format(Locale.ROOT, "%.0f events/s", sent / floodSeconds));
            f.put("flooders' echo replies read during the flood", received);
            f.put("flooders disconnected by the server", flooders.stream().filter(Flooder::disconnected).count()
                    + " of " + FLOODERS);
            flooders.stream().filter(Flooder::disconnected).findFirst()
                    .ifPresent(fl -> f.put("first disconnected flooder", fl.connection()));
            rss.report(f, "server RSS");
            f.yesNo("server alive at the end", server.isAlive());
        } finally {
            for (Flooder flooder : flooders) {
                flooder.close();
            }
        }
    }

    private static void latency(Figures f, String prefix, Histogram micros) {
        f.put(prefix + " round trips", micros.getTotalCount());
        if (micros.getTotalCount() > 0) {
            f.put(prefix + " p50", String.format(Locale.ROOT, "%.3f ms", micros.getValueAtPercentile(50) / 1000.0));
            f.put(prefix + " p99", String.format(Locale.ROOT, "%.3f ms", micros.getValueAtPercentile(99) / 1000.0));
            f.put(prefix + " max", String.format(Locale.ROOT, "%.3f ms", micros.getMaxValue() / 1000.0));
        }
    }
}
