package io.wsk.bench.abuse;

import java.io.IOException;

/**
 * Socket.IO v5 over Engine.IO v4 over {@link RawWebSocket}, as little of it as the cases need:
 * the open packet {@code 0{...}}, CONNECT to {@code /} ({@code 40}, answered {@code 40{"sid":..}}),
 * and pings ({@code 2}) answered with pongs ({@code 3}) by whoever reads.
 */
final class SocketIoClient implements AutoCloseable {

    static final String PATH = "/socket.io/?EIO=4&transport=websocket";

    private final RawWebSocket ws;
    private volatile long pingsAnswered;

    private SocketIoClient(RawWebSocket ws) {
        this.ws = ws;
    }

    /** Upgrades, opens the Engine.IO session and connects to namespace {@code /}. */
    static SocketIoClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Like {@link #connect(int)}, with the socket's receive buffer shrunk to {@code receiveBuffer} bytes (0: default). */
    static SocketIoClient connect(int port, int receiveBuffer) throws IOException {
        RawWebSocket ws = RawWebSocket.connect(port, PATH, receiveBuffer);
        SocketIoClient client = new SocketIoClient(ws);
        try {
            ws.readTimeout(10_000);
            String open = client.next();
            if (open == null || !open.startsWith("0{")) {
                throw new IOException("expected the Engine.IO open packet, got " + Text.clip(open));
            }
            ws.sendText("40");
            String connected = client.next();
            if (connected == null || !connected.startsWith("40{")) {
                throw new IOException("expected the CONNECT reply 40{...}, got " + Text.clip(connected));
            }
            ws.readTimeout(0);
            return client;
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
    }

    RawWebSocket ws() {
        return ws;
    }

    void send(String packet) throws IOException {
        ws.sendText(packet);
    }

    /**
     * The next text packet that is not a ping (pings are answered here), {@code null} when the
     * server ended the connection (cleanly or with a close frame). Binary frames are skipped.
     */
    String next() throws IOException {
        while (true) {
            WsFrame frame = ws.read();
            if (frame == null || frame.opcode() == WsFrame.CLOSE) {
                return null;
            }
            if (frame.opcode() == WsFrame.PING) {
                ws.send(WsFrameCodec.encode(WsFrame.PONG, frame.payload()));
            } else if (frame.isText()) {
                String text = frame.text();
                if (text.equals("2")) {
                    ws.sendText("3");
                    pingsAnswered++;
                } else {
                    return text;
                }
            }
        }
    }

    long pingsAnswered() {
        return pingsAnswered;
    }

    int localPort() {
        return ws.localPort();
    }

    @Override
    public void close() {
        ws.close();
    }
}
