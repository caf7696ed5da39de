package io.wsk.client;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import okhttp3.OkHttpClient;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The official Java client ({@code io.socket:socket.io-client} 2.x, OkHttp 3.12) for
 * {@link ClientFootprint}: {@code IO.socket(url, options)} with {@code forceNew} (without it the
 * same URL reuses one cached connection), with its defaults, or with one {@link OkHttpClient}
 * given to every connection as {@code callFactory} and {@code webSocketFactory}, its documented
 * way to share OkHttp's dispatcher and connection pool.
 */
final class OfficialMeasuredClient implements MeasuredClient {

    private final OkHttpClient okHttp;

    private OfficialMeasuredClient(OkHttpClient okHttp) {
        this.okHttp = okHttp;
    }

    /** Nothing given: each engine socket takes the library's own default OkHttpClient. */
    static OfficialMeasuredClient defaults() {
        return new OfficialMeasuredClient(null);
    }

    /** One OkHttpClient built here, given to every connection (the library's README builds it with a 1-minute read timeout). */
    static OfficialMeasuredClient sharedOkHttp() {
        return new OfficialMeasuredClient(new OkHttpClient.Builder().readTimeout(1, TimeUnit.MINUTES).build());
    }

    @Override
    public String name() {
        return okHttp == null ? "official, defaults" : "official, one shared OkHttpClient";
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
