package io.wsk.bench.abuse;

import io.netty.channel.Channel;
import io.wsk.bench.EioWebSocketClient;
import io.wsk.bench.SourceAddresses;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection side of {@code max-connections}, run as a process of its own
 * ({@code java -cp <wsk-bench> io.wsk.bench.abuse.ConnectionHolder <port> <count>}): each process
 * has its own open-files limit, and the server's is the same as the harness's, so two of these
 * can hold more connections than the server can. It opens Engine.IO WebSocket connections with a
 * few hundred handshakes under way until {@code count} were attempted or no handshake completed
 * for {@value #STALL_SECONDS} s (the server stopped accepting), then holds them, answering pings,
 * until its stdin closes or {@value #HOLD_SECONDS} s pass.
 *
 * <p>Output, one line a second and one at the end:
 * {@code PROGRESS|DONE attempted=.. opened=.. failed=.. pending=.. closed=.. reason=.. first_failure=..}.
 */
public final class ConnectionHolder implements EioWebSocketClient.Events {

    static final int STALL_SECONDS = 10;
    static final int HOLD_SECONDS = 300;
    private static final int IN_FLIGHT = 256;
    /** Source addresses 127.0.0.2..17, each with its own ephemeral ports. */
    private static final int SOURCES = 16;

    private final int count;
    private final SourceAddresses sources = new SourceAddresses(2, SOURCES);
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicLong lastOpenedAt = new AtomicLong(System.nanoTime());
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private volatile boolean stopAttempting;
    private volatile EioWebSocketClient client;

    private ConnectionHolder(int count) {
        this.count = count;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        ConnectionHolder holder = new ConnectionHolder(count);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        try (EioWebSocketClient client = new EioWebSocketClient(uri, 1, null, holder)) {
            holder.client = client;
            client.execute(() -> {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    holder.startNext();
                }
            });
            String reason = holder.awaitEnd();
            holder.stopAttempting = true;
            System.out.println(holder.line("DONE") + " reason=" + reason);
            holder.hold();
        }
    }

    /** Every second a progress line, until all were attempted and none is pending, or handshakes stalled. */
    private String awaitEnd() throws InterruptedException {
        while (true) {
            Thread.sleep(1000);
            System.out.println(line("PROGRESS"));
            if (attempted.get() >= count && pending() == 0) {
                return "all-attempted";
            }
            if (System.nanoTime() - lastOpenedAt.get() > STALL_SECONDS * 1_000_000_000L) {
                return "stalled";
            }
        }
    }

    /** Holds until the harness closes stdin (or the hold ends), still reporting closures. */
    private void hold() throws IOException, InterruptedException {
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // only its end matters
                }
            } catch (IOException e) {
                // the harness is gone: stop as well
            }
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        long end = System.nanoTime() + HOLD_SECONDS * 1_000_000_000L;
        while (stdin.isAlive() && System.nanoTime() < end) {
            Thread.sleep(1000);
            System.out.println(line("HOLDING"));
        }
    }

    private int pending() {
        return attempted.get() - opened.get() - failed.get();
    }

    private String line(String kind) {
        String first = firstFailure.get();
        return kind + " attempted=" + attempted.get() + " opened=" + opened.get() + " failed=" + failed.get()
                + " pending=" + pending() + " closed=" + closed.get()
                + (first == null ? "" : " first_failure=" + first.replace(' ', '_'));
    }

    private void startNext() {
        if (stopAttempting || attempted.get() >= count) {
            return;
        }
        attempted.incrementAndGet();
        client.connect(sources.next(), this::failed);
    }

    @Override
    public void opened(Channel channel) {
        opened.incrementAndGet();
        lastOpenedAt.set(System.nanoTime());
        channel.closeFuture().addListener(f -> closed.incrementAndGet());
        startNext();
    }

    @Override
    public void failed(Throwable cause) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, String.valueOf(cause));
        startNext();
    }
}
