package io.wsk.client;

import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A proxy every connection of a client goes through: an HTTP proxy that tunnels with
 * {@code CONNECT} (optionally with basic auth), or SOCKS5 (optionally with user name and
 * password). Polling requests and the WebSocket alike open a tunnel to the server's host and port;
 * TLS, when the URL is {@code https}/{@code wss}, runs inside the tunnel, end to end with the
 * server. The server's host name is sent to the proxy unresolved: the proxy resolves it.
 */
public final class ClientProxy {

    enum Kind { HTTP, SOCKS5 }

    private final Kind kind;
    private final String host;
    private final int port;
    private final String username;
    private final String password;

    private ClientProxy(Kind kind, String host, int port, String username, String password) {
        this.kind = kind;
        this.host = Objects.requireNonNull(host);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
        this.port = port;
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("a proxy user name needs a password, and the reverse");
        }
        this.username = username;
        this.password = password;
    }

    /** An HTTP proxy, tunnelling with CONNECT. */
    public static ClientProxy http(String host, int port) {
        return new ClientProxy(Kind.HTTP, host, port, null, null);
    }

    /** An HTTP proxy with basic auth ({@code Proxy-Authorization}). */
    public static ClientProxy http(String host, int port, String username, String password) {
        return new ClientProxy(Kind.HTTP, host, port, Objects.requireNonNull(username), Objects.requireNonNull(password));
    }

    public static ClientProxy socks5(String host, int port) {
        return new ClientProxy(Kind.SOCKS5, host, port, null, null);
    }

    /** SOCKS5 with user name and password authentication (RFC 1929). */
    public static ClientProxy socks5(String host, int port, String username, String password) {
        return new ClientProxy(Kind.SOCKS5, host, port, Objects.requireNonNull(username), Objects.requireNonNull(password));
    }

    /** A new handler for one connection (Netty's proxy handlers are not sharable). */
    ProxyHandler newHandler(long connectTimeoutMillis) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        ProxyHandler handler = switch (kind) {
            case HTTP -> username == null ? new HttpProxyHandler(address) : new HttpProxyHandler(address, username, password);
            case SOCKS5 -> new Socks5ProxyHandler(address, username, password);
        };
        handler.setConnectTimeoutMillis(connectTimeoutMillis);
        return handler;
    }

    /** How errors name it: {@code http proxy 127.0.0.1:3128}; never the password. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " proxy " + host + ":" + port
                + (username == null ? "" : " (user " + username + ")");
    }
}
