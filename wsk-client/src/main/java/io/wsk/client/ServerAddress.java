package io.wsk.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the Engine.IO endpoint is and how its request URIs are made: scheme, host, port, the
 * {@code path} option and the query ({@code EIO=4}, {@code transport}, {@code sid}, a cache
 * buster {@code t} on polling, then the user's parameters).
 */
final class ServerAddress {

    private static final AtomicLong CACHE_BUSTER = new AtomicLong(System.currentTimeMillis());

    private final boolean secure;
    private final String host;
    private final int port;
    private final String path;
    private final Map<String, String> query;

    ServerAddress(URI uri, ClientOptions options) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("unsupported scheme: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        this.secure = scheme.equals("https") || scheme.equals("wss");
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        this.path = options.path();
        this.query = options.query();
    }

    boolean secure() {
        return secure;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** {@code host[:port]} for the Host header. */
    String hostHeader() {
        boolean defaultPort = port == (secure ? 443 : 80);
        String h = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }

    /** The request target (path and query) of a polling request. */
    String pollingTarget(String sid) {
        return path + "?" + query("polling", sid) + "&t=" + Long.toString(CACHE_BUSTER.incrementAndGet(), 36);
    }

    /** The absolute {@code ws://} or {@code wss://} URI of a WebSocket. */
    URI webSocketUri(String sid) {
        return URI.create((secure ? "wss://" : "ws://") + hostHeader() + path + "?" + query("websocket", sid));
    }

    private String query(String transport, String sid) {
        StringBuilder q = new StringBuilder("EIO=4&transport=").append(transport);
        if (sid != null) {
            q.append("&sid=").append(encode(sid));
        }
        query.forEach((name, value) -> q.append('&').append(encode(name)).append('=').append(encode(value)));
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "http://") + hostHeader() + path;
    }
}
