package io.wsk.bench.abuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Looks at one connection's two ends through {@link SocketTable} every second and notes each
 * change of state with the time it was seen. A server that closes a connection whose peer does
 * not read cannot get its FIN through a full window: its end moves to FIN-WAIT-1 while the
 * client's end still reads ESTAB, so the server's end is the one that tells when it gave up.
 */
final class ConnectionWatch implements AutoCloseable {

    private final int serverPort;
    private final int clientPort;
    private final long startNanos;
    private final Thread thread;
    private final List<String> serverChanges = new ArrayList<>();
    private final List<String> clientChanges = new ArrayList<>();
    private volatile boolean running = true;
    private String serverState;
    private String clientState;
    private double serverLeftEstablishedAt = -1;

    /** Times are seconds after {@code startNanos}. */
    ConnectionWatch(int serverPort, int clientPort, long startNanos) {
        this.serverPort = serverPort;
        this.clientPort = clientPort;
        this.startNanos = startNanos;
        look();
        this.thread = new Thread(this::loop, "connection-watch-" + clientPort);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            look();
        }
    }

    /** Takes a look now; returns what it saw. */
    synchronized SocketTable.Ends look() {
        SocketTable.Ends ends = SocketTable.ends(serverPort, clientPort);
        double at = (System.nanoTime() - startNanos) / 1e9;
        String server = state(ends.server());
        String client = state(ends.client());
        if (!server.equals(serverState)) {
            serverChanges.add(String.format(Locale.ROOT, "%s at %.1f s", server, at));
            if (serverState != null && serverState.equals("ESTAB") && serverLeftEstablishedAt < 0) {
                serverLeftEstablishedAt = at;
            }
            serverState = server;
        }
        if (!client.equals(clientState)) {
            clientChanges.add(String.format(Locale.ROOT, "%s at %.1f s", client, at));
            clientState = client;
        }
        return ends;
    }

    private static String state(Optional<TcpSocket> end) {
        return end.map(TcpSocket::state).orElse("gone");
    }

    /** Seconds after the start when the server's end was first seen out of ESTAB, or -1. */
    synchronized double serverLeftEstablishedAt() {
        return serverLeftEstablishedAt;
    }

    /** e.g. "ESTAB at 0.0 s -> FIN-WAIT-1 at 46.1 s". */
    synchronized String serverHistory() {
        return String.join(" -> ", serverChanges);
    }

    synchronized String clientHistory() {
        return String.join(" -> ", clientChanges);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
