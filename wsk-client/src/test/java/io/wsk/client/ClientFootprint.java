package io.wsk.client;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures what an idle client costs (live heap after a full GC, resident memory,
 * threads) and how long reconnecting takes after the server is SIGKILLed and restarted. Run by
 * hand, numbers in the README:
 *
 * <pre>java -cp (wsk-client test classpath) io.wsk.client.ClientFootprint [clients] [wsk|node] [shared]</pre>
 *
 * <p>{@code shared}: the clients share one {@link ClientResources} (one I/O and one listener thread).
 */
public final class ClientFootprint {

    private ClientFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        PeerProcess.Kind kind = args.length > 1 && args[1].equals("node") ? PeerProcess.Kind.NODE : PeerProcess.Kind.WSK;
        boolean shared = args.length > 2 && args[2].equals("shared");
        try (PeerProcess peer = PeerProcess.start(kind, Map.of())) {
            if (shared) {
                try (ClientResources resources = ClientResources.create(1, 1)) {
                    idle(peer, clients, resources);
                }
                return;
            }
            idle(peer, clients, null);
            reconnect(peer, 1000);
            reconnect(peer, 100);
        }
        System.exit(0);
    }

    private static void idle(PeerProcess peer, int clients, ClientResources resources) throws Exception {
        warmUp(peer);
        long heap0 = liveHeap();
        long rss0 = rss();
        int threads0 = Thread.activeCount();
        List<Manager> managers = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            Manager m = new Manager(URI.create(peer.url()), ClientOptions.builder().transports("websocket")
                    .resources(resources).build());
            m.socket("/").onConnect(connected::countDown).connect();
            managers.add(m);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError(connected.getCount() + " clients did not connect");
        }
        Thread.sleep(Long.getLong("footprint.pauseMillis", 1000)); // time for jcmd GC.class_histogram
        long heap1 = liveHeap();
        long rss1 = rss();
        int threads1 = Thread.activeCount();
        System.out.printf("%s: %d idle WebSocket clients%s: live heap %+.1f KB per client, RSS %+.1f KB per client, %+.1f threads per client%n",
                peer, clients, resources == null ? "" : " sharing one ClientResources", (heap1 - heap0) / 1024.0 / clients, (rss1 - rss0) / 1024.0 / clients,
                (threads1 - threads0) / (double) clients);
        long closing = System.nanoTime();
        managers.forEach(Manager::close);
        System.out.printf("%s: closing %d clients took %d ms; threads %d before, %d after%n", peer, clients,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing), threads0, Thread.activeCount());
    }

    private static void warmUp(PeerProcess peer) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        try (Manager m = new Manager(URI.create(peer.url()), ClientOptions.builder().transports("websocket").build())) {
            m.socket("/").onConnect(connected::countDown).connect();
            connected.await(10, TimeUnit.SECONDS);
        }
    }

    /** Server SIGKILLed and started again at once: time until the client is connected again. */
    private static void reconnect(PeerProcess peer, long delayMillis) throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch again = new CountDownLatch(2);
        try (Manager m = new Manager(URI.create(peer.url()), ClientOptions.builder()
                .reconnectionDelay(Duration.ofMillis(delayMillis)).build())) {
            m.socket("/").onConnect(() -> {
                first.countDown();
                again.countDown();
            }).connect();
            first.await(10, TimeUnit.SECONDS);
            long kill = System.nanoTime();
            peer.kill();
            peer.restart();
            long listening = System.nanoTime();
            if (!again.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no reconnection");
            }
            long done = System.nanoTime();
            System.out.printf("%s: reconnectionDelay %d ms: connected again %d ms after the kill, %d ms after the new server listened%n",
                    peer, delayMillis, TimeUnit.NANOSECONDS.toMillis(done - kill), TimeUnit.NANOSECONDS.toMillis(done - listening));
        }
    }

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
}
