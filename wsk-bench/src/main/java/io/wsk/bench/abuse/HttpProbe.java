package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One HTTP/1.1 request with a deadline, and what came of it: status, a few headers, the body's
 * start, the time taken; or that no answer came. A fresh client each time, so a connection left
 * stuck by an earlier probe cannot delay the next (Java 17's client has no close: it is left to the GC).
 */
final class HttpProbe {

    /** The Engine.IO polling handshake. */
    static final String POLLING_HANDSHAKE = "/socket.io/?EIO=4&transport=polling";

    private HttpProbe() {
    }

    /** The outcome of one request. */
    record Answer(int status, String retryAfter, String connection, String body, long millis, String error) {

        boolean answered() {
            return status > 0;
        }

        /** e.g. "200 in 12 ms, body {"status":"ok"}" or "no answer in 5000 ms (HttpTimeoutException)". */
        String describe() {
            if (!answered()) {
                return error + " after " + millis + " ms";
            }
            return status + " in " + millis + " ms" + (retryAfter == null ? "" : ", Retry-After: " + retryAfter)
                    + (connection == null ? "" : ", Connection: " + connection) + ", body " + Text.clip(body);
        }
    }

    static Answer get(int port, String pathAndQuery, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + ServerProcess.HOST + ":" + port + pathAndQuery))
                .timeout(timeout).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("retry-after").orElse(null),
                    response.headers().firstValue("connection").orElse(null), response.body(), millisSince(start), null);
        } catch (HttpTimeoutException e) {
            return new Answer(-1, null, null, null, millisSince(start), "no answer (timed out)");
        } catch (IOException e) {
            return new Answer(-1, null, null, null, millisSince(start), "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, null, null, millisSince(start), "interrupted");
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
