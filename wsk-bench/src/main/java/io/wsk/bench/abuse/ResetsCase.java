package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code resets}: 2,000 connections that send half a request and then reset (SO_LINGER 0):
 * a polling GET cut inside its headers, a WebSocket upgrade cut inside its headers, and a
 * polling POST cut halfway through its body. Resets are ordinary on the internet; a server that
 * logs a stack trace for each fills its disk. Counts what the server log grew by.
 */
final class ResetsCase implements AbuseCase {

    private static final int THREADS = 4;
    private static final int PAUSE_BEFORE_RESET_MILLIS = 5;
    private static final List<String> PHRASES = List.of("Connection reset", "Exception", " WARN ", " ERROR ");

    @Override
    public String name() {
        return "resets";
    }

    @Override
    public void run(CaseRun run) throws Exception {
        int connections = run.size(2_000, 60);
        Figures f = run.figures();
        ServerProcess server = run.startWsk("server", List.of());
        int port = server.port();
        String sid = PollingSession.open(port).sid();
        String host = "Host: " + ServerProcess.HOST + ":" + port + "\r\n";
        List<byte[]> kinds = List.of(
                ascii("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n" + host + "Accept: */*\r\n"),
                ascii("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" + host
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"),
                ascii("POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\n" + host
                        + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 2000\r\n\r\n" + "4" + "x".repeat(999)));
        f.put("load", connections + " connections from " + THREADS + " threads, in turn: a polling GET cut inside its "
                + "headers, a WebSocket upgrade cut inside its headers, a polling POST (a live sid) with 1,000 of its "
                + "2,000 body bytes; each reset (SO_LINGER 0) " + PAUSE_BEFORE_RESET_MILLIS + " ms after writing");
        ServerLog log = new ServerLog(server.log());
        long logStart = log.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < connections; ) {
                    if (resetAfter(port, kinds.get(i % kinds.size()))) {
                        done.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
            }, "resets-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(2).toMillis());
        }
        f.put("connections reset", done.get());
        f.put("connections that could not be made", failed.get());
        f.put("resetting took", Text.seconds((System.nanoTime() - start) / 1e9));
        Thread.sleep(3000); // the server's reaction to the last ones
        log.since(logStart, PHRASES).report(f, "server log");
        f.put("server log size at the end", log.size());
        f.put("GET /health afterwards", HttpProbe.get(port, "/health", Duration.ofSeconds(5)).describe());
        f.yesNo("server alive at the end", server.isAlive());
    }

    /** One connection: write {@code request}, pause, reset. False when the connection could not be made. */
    private static boolean resetAfter(int port, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ServerProcess.HOST, port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            Thread.sleep(PAUSE_BEFORE_RESET_MILLIS);
            socket.setSoLinger(true, 0);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
