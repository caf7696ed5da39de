package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Engine.IO v4 long-polling session driven by hand: the handshake GET, POSTs of packets, and
 * GETs whose body is read and counted against a deadline (a server that queued without bound
 * may answer with hundreds of megabytes).
 */
final class PollingSession {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
    private static final byte RECORD_SEPARATOR = 0x1E;

    private final HttpClient http;
    private final int port;
    private final String sid;

    private PollingSession(HttpClient http, int port, String sid) {
        this.http = http;
        this.port = port;
        this.sid = sid;
    }

    /** The handshake: {@code GET /socket.io/?EIO=4&transport=polling} answers {@code 0{"sid":...}}. */
    static PollingSession open(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(port, null))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = SID.matcher(response.body());
        if (response.statusCode() != 200 || !response.body().startsWith("0") || !m.find()) {
            throw new IOException("polling handshake answered " + response.statusCode() + " " + Text.clip(response.body()));
        }
        return new PollingSession(http, port, m.group(1));
    }

    String sid() {
        return sid;
    }

    /** POSTs {@code body} (e.g. {@code 40}, {@code 3}); returns the status, or -1 when the request failed. */
    int post(String body) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri(port, sid)).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** What one GET brought. */
    record Poll(int status, long bodyBytes, long packets, long millis, boolean cutShort, String start, String error) {
    }

    /**
     * One GET, its body read and counted (not kept) for at most {@code cap}; past that the body
     * is abandoned and the poll marked cut short.
     */
    Poll get(Duration cap) throws InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri(port, sid)).timeout(cap).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new Poll(-1, 0, 0, millisSince(start), false, "", e.toString());
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        InputStream body = response.body();
        long deadline = start + cap.toNanos();
        watchdog.schedule(() -> closeQuietly(body), Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        long bytes = 0;
        long separators = 0;
        StringBuilder head = new StringBuilder();
        byte[] buffer = new byte[256 * 1024];
        String error = null;
        try {
            for (int n; (n = body.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == RECORD_SEPARATOR) {
                        separators++;
                    }
                }
                if (head.length() < 80) {
                    head.append(new String(buffer, 0, Math.min(n, 80), StandardCharsets.UTF_8));
                }
                bytes += n;
            }
        } catch (IOException e) {
            error = e.toString();
        } finally {
            watchdog.shutdownNow();
            closeQuietly(body);
        }
        boolean cutShort = System.nanoTime() >= deadline;
        return new Poll(response.statusCode(), bytes, bytes == 0 ? 0 : separators + 1, millisSince(start), cutShort,
                Text.clip(head.toString()), cutShort ? "cut short at the deadline" : error);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // abandoned anyway
        }
    }

    private static URI uri(int port, String sid) {
        return URI.create("http://" + ServerProcess.HOST + ":" + port + "/socket.io/?EIO=4&transport=polling"
                + (sid == null ? "" : "&sid=" + sid));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
