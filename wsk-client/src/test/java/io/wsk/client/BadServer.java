package io.wsk.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A polling "server" that misbehaves in one chosen way, on the JDK's HTTP server: it answers the
 * handshake and then garbage, or never answers at all, or never pings. Requests it holds are let
 * go on {@link #close()}.
 */
final class BadServer implements AutoCloseable {

    enum Behaviour {
        /** The handshake, then a poll answered with bytes that are no Engine.IO packet. */
        GARBAGE_AFTER_HANDSHAKE,
        /** Accepts the TCP connection and the request, never answers. */
        SILENT,
        /** The handshake (ping every 100 ms, 100 ms timeout), the CONNECT reply, then never a ping. */
        NO_PINGS,
        /** The handshake with {@code maxPayload} {@link #SMALL_PAYLOAD}, the CONNECT reply; POST bodies recorded. */
        SMALL_PAYLOAD_RECORDING,
        /** Offers the upgrade to WebSocket, then answers the WebSocket request with 400 (a proxy that drops it, say). */
        UPGRADE_REFUSED
    }

    static final int SMALL_PAYLOAD = 64;

    /** WebSocket requests received (all refused). */
    final AtomicInteger webSocketRequests = new AtomicInteger();

    /** The bodies of the POSTs received, in order. */
    final java.util.List<String> posts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpServer http;
    /** Named so that thread counts can leave the server's own threads out. */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> new Thread(r, THREAD_PREFIX + r.hashCode()));
    static final String THREAD_PREFIX = "bad-server-";
    private final CountDownLatch released = new CountDownLatch(1);
    private final java.util.Map<String, AtomicInteger> gets = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();

    BadServer(Behaviour behaviour) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(threads);
        http.createContext("/socket.io/", exchange -> handle(behaviour, exchange));
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(Behaviour behaviour, HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (behaviour == Behaviour.SILENT) {
            hold();
            return;
        }
        if (exchange.getRequestMethod().equals("POST")) {
            posts.add(body);
            answer(exchange, "ok");
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        if (query.contains("transport=websocket")) {
            webSocketRequests.incrementAndGet();
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
        }
        boolean handshake = !query.contains("sid=");
        String sid = handshake ? String.format("badserver%011d", sessions.incrementAndGet()) : query.replaceAll(".*sid=([^&]*).*", "$1");
        int n = gets.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
        if (handshake) {
            long ping = behaviour == Behaviour.NO_PINGS ? 100 : 25_000;
            int maxPayload = behaviour == Behaviour.SMALL_PAYLOAD_RECORDING ? SMALL_PAYLOAD : 1_000_000;
            String upgrades = behaviour == Behaviour.UPGRADE_REFUSED ? "[\"websocket\"]" : "[]";
            answer(exchange, "0{\"sid\":\"" + sid + "\",\"upgrades\":" + upgrades + ",\"pingInterval\":" + ping
                    + ",\"pingTimeout\":" + ping + ",\"maxPayload\":" + maxPayload + "}");
        } else if (behaviour == Behaviour.GARBAGE_AFTER_HANDSHAKE) {
            answer(exchange, "\u0000garbage\u00ff not a packet");
        } else if (n == 2) {
            answer(exchange, "40{\"sid\":\"badsocketbadsocket00\"}");
        } else {
            hold();
        }
    }

    private void hold() {
        try {
            released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        released.countDown();
        http.stop(0);
        threads.shutdownNow();
    }
}
