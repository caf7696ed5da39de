package io.wsk.client;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Not a test: measures, for wsk's client and the official Java client alike (each a
 * {@link MeasuredClient}), what an idle connection costs and how long reconnecting takes after the
 * server is SIGKILLed and started again on the same port at once. Run by hand, numbers in the
 * README:
 *
 * <pre>
 * java [flags] -cp (wsk-client test classpath) io.wsk.client.ClientFootprint idle [clients] [url]
 * java [flags] -cp (wsk-client test classpath) io.wsk.client.ClientFootprint reconnect [runs] [serve|node|wsk]...
 * </pre>
 *
 * <p>{@code idle}: for each client of {@link #CLIENTS}, in a JVM of its own started with this JVM's
 * flags, {@code clients} (200) idle WebSocket-only connections to {@code url} (default: a
 * {@code ./wsk serve --app bench} started here, which needs {@code wsk-app/target/wsk.jar}); per
 * connection (at most as many as the client can hold open, {@link MeasuredClient#maxConnections()}):
 * live heap after full GCs, resident memory ({@code VmRSS}) and threads, each the
 * difference from before the connections (after one connection was opened and closed, so classes
 * are loaded and shared pools started).
 *
 * <p>{@code reconnect}: for each server kind ({@code serve} and {@code node}, the official Node
 * server of {@code interop/client/server.mjs}, by default; {@code wsk}: {@link WskPeerMain}), each
 * of wsk's client and the official client with its defaults, and each {@code reconnectionDelay}
 * 1000 and 100 ms with {@code randomizationFactor} 0.5 and 0: one connection, the server killed
 * {@code runs} (5) times; per kill, the time from the kill until the client's connect callback,
 * and from the moment the new server listened. Prints min / median / max.
 */
public final class ClientFootprint {

    /** What {@code idle} measures, by the name on the command line; the argument: how many connections. */
    static final Map<String, IntFunction<MeasuredClient>> CLIENTS = Map.of(
            "wsk", n -> WskMeasuredClient.ownThreads(),
            "wsk-shared", n -> WskMeasuredClient.shared(),
            "official", n -> OfficialMeasuredClient.defaults(),
            "official-shared", OfficialMeasuredClient::sharedOkHttp);
    private static final List<String> IDLE_ORDER = List.of("wsk", "wsk-shared", "official", "official-shared");
    private static final List<MeasuredClient.Backoff> BACKOFFS = List.of(
            MeasuredClient.DEFAULT_BACKOFF, new MeasuredClient.Backoff(1000, 0),
            new MeasuredClient.Backoff(100, 0.5), new MeasuredClient.Backoff(100, 0));

    private ClientFootprint() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "idle";
        switch (mode) {
            case "idle" -> idleAll(args.length > 1 ? Integer.parseInt(args[1]) : 200, args.length > 2 ? args[2] : null);
            case "idle-one" -> idleOne(args[1], Integer.parseInt(args[2]), args[3]);
            case "reconnect" -> reconnectAll(args.length > 1 ? Integer.parseInt(args[1]) : 5,
                    args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of("serve", "node"));
            default -> throw new IllegalArgumentException("idle [clients] [url] | reconnect [runs] [serve|node|wsk]...");
        }
        System.exit(0);
    }

    // ---- memory and threads per idle connection

    private static void idleAll(int clients, String url) throws Exception {
        System.out.println("load average " + loadAverage() + "; JVM flags " + jvmFlags());
        if (url != null) {
            idleChildren(clients, url);
            return;
        }
        try (PeerProcess server = PeerProcess.start(PeerProcess.Kind.SERVE)) {
            idleChildren(clients, server.url());
        }
    }

    /** Each client in a fresh JVM with this one's flags: none inherits another's heap or threads. */
    private static void idleChildren(int clients, String url) throws Exception {
        for (String name : IDLE_ORDER) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClientFootprint.class.getName(),
                    "idle-one", name, Integer.toString(clients), url));
            Process child = new ProcessBuilder(command).inheritIO().start();
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new AssertionError(name + ": still measuring after 5 minutes");
            }
        }
    }

    private static void idleOne(String name, int wanted, String url) throws Exception {
        try (MeasuredClient client = CLIENTS.get(name).apply(wanted)) {
            int clients = Math.min(wanted, client.maxConnections());
            if (clients < wanted) {
                System.out.printf("%s holds at most %d connections open: measuring %d%n", client.name(), clients, clients);
            }
            CountDownLatch warm = new CountDownLatch(1);
            MeasuredClient.Connection first = client.open(url, MeasuredClient.DEFAULT_BACKOFF, warm::countDown);
            await(warm, 1, name + " warm-up");
            first.close();
            Thread.sleep(500);

            long heap0 = liveHeap();
            long rss0 = rss();
            int threads0 = threads();
            CountDownLatch connected = new CountDownLatch(clients);
            List<MeasuredClient.Connection> connections = new ArrayList<>();
            long opening = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                connections.add(client.open(url, MeasuredClient.DEFAULT_BACKOFF, connected::countDown));
            }
            await(connected, clients, name);
            long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opening);
            Thread.sleep(Long.getLong("footprint.pauseMillis", 1000)); // time for jcmd GC.class_histogram
            long heap1 = liveHeap();
            long rss1 = rss();
            int threads1 = threads();
            System.out.printf("%-40s %5d idle: live heap %7.1f KB, RSS %7.1f KB, threads %+5.2f per connection"
                            + " (heap %d -> %d MB, RSS %d -> %d MB, threads %d -> %d; all connected in %d ms)%n",
                    client.name(), clients, (heap1 - heap0) / 1024.0 / clients, (rss1 - rss0) / 1024.0 / clients,
                    (threads1 - threads0) / (double) clients, heap0 >> 20, heap1 >> 20, rss0 >> 20, rss1 >> 20,
                    threads0, threads1, openMillis);
            connections.forEach(MeasuredClient.Connection::close);
        }
    }

    private static void await(CountDownLatch latch, int of, String what) throws InterruptedException {
        if (!latch.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError(what + ": " + latch.getCount() + " of " + of + " did not connect");
        }
    }

    // ---- reconnection after a server kill

    private static void reconnectAll(int runs, List<String> servers) throws Exception {
        for (String server : servers) {
            PeerProcess.Kind kind = PeerProcess.Kind.valueOf(server.toUpperCase());
            try (PeerProcess peer = PeerProcess.start(kind)) {
                for (Supplier<MeasuredClient> factory : List.<Supplier<MeasuredClient>>of(
                        WskMeasuredClient::ownThreads, OfficialMeasuredClient::defaults)) {
                    for (MeasuredClient.Backoff backoff : BACKOFFS) {
                        try (MeasuredClient client = factory.get()) {
                            reconnect(peer, client, backoff, runs);
                        }
                    }
                }
            }
        }
    }

    private static void reconnect(PeerProcess peer, MeasuredClient client, MeasuredClient.Backoff backoff, int runs)
            throws Exception {
        Semaphore connects = new Semaphore(0);
        MeasuredClient.Connection connection = client.open(peer.url(), backoff, connects::release);
        long[] afterKill = new long[runs];
        long[] afterListen = new long[runs];
        String load = loadAverage();
        try {
            if (!connects.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new AssertionError(client.name() + ": no first connect");
            }
            for (int run = 0; run < runs; run++) {
                Thread.sleep(300); // settled: the namespace joined, nothing in flight
                connects.drainPermits();
                long kill = System.nanoTime();
                peer.kill();
                peer.restart();
                long listening = System.nanoTime();
                if (!connects.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new AssertionError(client.name() + ": no reconnection within 30 s");
                }
                long done = System.nanoTime();
                afterKill[run] = TimeUnit.NANOSECONDS.toMillis(done - kill);
                afterListen[run] = TimeUnit.NANOSECONDS.toMillis(done - listening);
            }
        } finally {
            connection.close();
        }
        System.out.printf("%-16s %-30s delay %4d ms, jitter %.1f: after the kill %s ms, after the new server listened %s ms"
                        + " (min/median/max of %d; load %s)%n", peer, client.name(), backoff.delayMillis(),
                backoff.randomizationFactor(), spread(afterKill), spread(afterListen), runs, load);
    }

    private static String spread(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[0] + " / " + sorted[sorted.length / 2] + " / " + sorted[sorted.length - 1];
    }

    // ---- measuring

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** Every live thread of the JVM (OkHttp's and the official client's too, whatever their group). */
    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static List<String> jvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    private static String loadAverage() throws Exception {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
