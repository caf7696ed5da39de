package io.wsk.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engine.IO long-polling over {@link HttpClient} (HTTP/1.1 only: no {@code h2c} upgrade attempts).
 * Requests that are in flight at the same time always use separate connections, since HTTP/1.1
 * has one outstanding request per connection and the client does not pipeline. Public so that
 * the Socket.IO tests ({@code io.wsk.server}) use the same client, on their own path.
 */
public final class PollingClient {

    /** One client for all tests: its selector thread is not cheap, and it has no close() on 17. */
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** Polling URL without a sid, as the suite writes it: trailing slash, then the query. */
    public static final String POLLING_QUERY = "EIO=4&transport=polling";

    private final String baseUrl;
    private final String path;

    /** {@code baseUrl} is {@code http://host:port}; requests go to {@code /engine.io/}. */
    PollingClient(String baseUrl) {
        this(baseUrl, "/engine.io/");
    }

    /** Requests go to {@code path} (with its trailing slash, e.g. {@code /socket.io/}). */
    public PollingClient(String baseUrl, String path) {
        this.baseUrl = baseUrl;
        this.path = path;
    }

    URI uri(String query) {
        return URI.create(baseUrl + path + "?" + query);
    }

    HttpRequest.Builder request(String query) {
        return HttpRequest.newBuilder(uri(query)).timeout(REQUEST_TIMEOUT);
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return HTTP.sendAsync(request, BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String query) {
        return send(request(query).GET().build());
    }

    public HttpResponse<String> method(String method, String query, String body) {
        BodyPublisher publisher = body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body);
        return send(request(query).method(method, publisher).build());
    }

    /** GET {@code P&sid=<sid>}: a long-poll. */
    public HttpResponse<String> poll(String sid) {
        return get(sessionQuery(sid));
    }

    public CompletableFuture<HttpResponse<String>> pollAsync(String sid, String extraQuery) {
        return sendAsync(request(sessionQuery(sid) + extraQuery).GET().build());
    }

    /** POST {@code P&sid=<sid>} with a text body, as browsers and node-fetch send it. */
    public HttpResponse<String> post(String sid, String body) {
        return send(postRequest(sid, body));
    }

    public HttpRequest postRequest(String sid, String body) {
        return request(sessionQuery(sid))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(BodyPublishers.ofString(body))
                .build();
    }

    public static String sessionQuery(String sid) {
        return POLLING_QUERY + "&sid=" + sid;
    }

    /** Opens a polling session and returns its open packet's JSON, checking only that there is one. */
    public Map<String, Object> openPacket() {
        HttpResponse<String> response = get(POLLING_QUERY);
        assertThat(response.statusCode()).as("handshake status").isEqualTo(200);
        assertThat(response.body()).as("handshake body").startsWith("0");
        return MiniJson.parseObject(response.body().substring(1));
    }

    /** Opens a polling session (the suite's "initLongPollingSession") and returns its sid. */
    public String handshake() {
        Object sid = openPacket().get("sid");
        assertThat(sid).as("sid").isInstanceOf(String.class);
        return (String) sid;
    }
}
