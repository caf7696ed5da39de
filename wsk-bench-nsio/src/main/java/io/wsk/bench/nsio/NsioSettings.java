package io.wsk.bench.nsio;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;

/**
 * netty-socketio's settings for the comparison: its own recommendations where it has them (native
 * epoll, TCP_NODELAY, SO_REUSEADDR), and otherwise what wsk and the Node server run with, so every
 * server does the same work per operation.
 */
final class NsioSettings {

    /** wsk's defaults ({@code --ping-interval}, {@code --ping-timeout}), also socket.io's. */
    static final int PING_INTERVAL_MILLIS = 25_000;
    static final int PING_TIMEOUT_MILLIS = 20_000;
    /** wsk's {@code --max-payload} default and socket.io's {@code maxHttpBufferSize}: 1 MB per message or POST. */
    static final int MAX_PAYLOAD_BYTES = 1_000_000;
    /** wsk's {@code --backlog} default, and what the Node reference server listens with. */
    static final int BACKLOG = 4096;

    private NsioSettings() {
    }

    static Configuration configuration(String host, int port) {
        Configuration config = new Configuration();
        config.setHostname(host);
        config.setPort(port);
        config.setUseLinuxNativeEpoll(true);
        // One acceptor, and as many I/O threads as the cores this process may use, as wsk's
        // --io-threads default (netty-socketio's own default is twice the cores: on a pinned core
        // the extra loops would only take turns).
        config.setBossThreads(1);
        config.setWorkerThreads(Runtime.getRuntime().availableProcessors());
        config.setPingInterval(PING_INTERVAL_MILLIS);
        config.setPingTimeout(PING_TIMEOUT_MILLIS);
        config.setMaxFramePayloadLength(MAX_PAYLOAD_BYTES);
        config.setMaxHttpContentLength(MAX_PAYLOAD_BYTES);
        // No compression anywhere, as on the other servers (netty-socketio enables both by default;
        // permessage-deflate would cost CPU per frame that wsk and Node do not spend).
        config.setWebsocketCompression(false);
        config.setHttpCompression(false);
        // No Server header to look up and add to every HTTP response; the others send none either.
        config.setAddVersionHeader(false);
        // The handlers ack exactly as the other servers' do (netty-socketio would otherwise send an
        // empty ack itself after a handler that did not).
        config.setAckMode(AckMode.MANUAL);
        SocketConfig socket = new SocketConfig();
        socket.setTcpNoDelay(true);
        socket.setReuseAddress(true);
        socket.setAcceptBackLog(BACKLOG);
        config.setSocketConfig(socket);
        return config;
    }
}
