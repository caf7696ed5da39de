package io.wsk.client;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The official Java client ({@code io.socket:socket.io-client} 2.x, OkHttp 3.12) for
 * {@link ClientFootprint}: {@code IO.socket(url, options)} with {@code forceNew} (without it the
 * same URL reuses one cached connection), with its defaults, or as its FAQ says to make many
 * clients ("How to create a lot of clients"): one {@link OkHttpClient} whose {@link Dispatcher}
 * allows twice as many requests as clients, given to every connection as {@code callFactory} and
 * {@code webSocketFactory}.
 *
 * <p>With the defaults every connection uses the library's one static OkHttpClient, whose
 * dispatcher runs at most 64 calls at once; an open WebSocket keeps its call running (its reader
 * loop), so the 65th connection waits in the dispatcher's queue and never connects.
 */
final class OfficialMeasuredClient implements MeasuredClient {

    private final OkHttpClient okHttp;

    private OfficialMeasuredClient(OkHttpClient okHttp) {
        this.okHttp = okHttp;
    }

    /** OkHttp's default {@code Dispatcher.maxRequests}: how many connections the defaults hold open. */
    static final int DEFAULT_MAX_CONNECTIONS = 64;

    /** Nothing given: each engine socket takes the library's own default OkHttpClient. */
    static OfficialMeasuredClient defaults() {
        return new OfficialMeasuredClient(null);
    }

    /** The FAQ's recipe for {@code maxClients} clients: one OkHttpClient, its dispatcher sized for them. */
    static OfficialMeasuredClient sharedOkHttp(int maxClients) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(maxClients * 2);
        dispatcher.setMaxRequestsPerHost(maxClients * 2);
        return new OfficialMeasuredClient(new OkHttpClient.Builder().dispatcher(dispatcher)
                .readTimeout(1, TimeUnit.MINUTES).build());
    }

    @Override
    public int maxConnections() {
        return okHttp == null ? DEFAULT_MAX_CONNECTIONS : okHttp.dispatcher().getMaxRequests() / 2;
    }

    @Override
    public String name() {
        return okHttp == null ? "official, defaults" : "official, FAQ's shared OkHttpClient";
    }

    @Override
    public Connection open(String url, Backoff backoff, Runnable onConnect) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setTransports(new String[] {WebSocket.NAME})
                .setReconnectionDelay(backoff.delayMillis())
                .setRandomizationFactor(backoff.randomizationFactor())
                .build();
        if (okHttp != null) {
            options.callFactory = okHttp;
            options.webSocketFactory = okHttp;
        }
        Socket socket = IO.socket(URI.create(url), options);
        socket.on(Socket.EVENT_CONNECT, args -> onConnect.run());
        socket.connect();
        return socket::close;
    }

    @Override
    public void close() {
        if (okHttp != null) {
            okHttp.dispatcher().executorService().shutdown();
            okHttp.connectionPool().evictAll();
        }
    }
}
