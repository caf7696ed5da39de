package io.wsk.bench.abuse;

import io.wsk.bench.compare.ServerProcess;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A blocking WebSocket client on a plain {@link Socket}, one thread per reader: the abusive
 * clients need to stop reading, read slowly, or reset at will, which a client library would not
 * let them do. Writes are whole frames under a lock, so a pong thread and a sender can share it.
 */
final class RawWebSocket implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final int MAX_RESPONSE_HEAD = 8192;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code 127.0.0.1:port} and upgrades {@code path}. {@code receiveBuffer} &gt; 0
     * shrinks the socket's receive buffer before connecting (so the TCP window is small from the
     * start): a reader that stalls then fills its side in a few kilobytes, and the rest of what
     * the server sends stays with the server.
     */
    static RawWebSocket connect(int port, String path, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(ServerProcess.HOST, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(10_000); // the handshake; callers set their own afterwards
            RawWebSocket ws = new RawWebSocket(socket);
            ws.upgrade(port, path);
            socket.setSoTimeout(0);
            return ws;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void upgrade(int port, String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + ServerProcess.HOST + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: d3NrLWFidXNlLWtleS0wMQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        // Byte by byte through the buffer: whatever follows the head is already frames.
        while (!endsWithBlankLine(head)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the WebSocket handshake");
            }
            head.write(b);
            if (head.size() > MAX_RESPONSE_HEAD) {
                throw new IOException("no end to the handshake response after " + MAX_RESPONSE_HEAD + " bytes");
            }
        }
        String statusLine = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        if (!statusLine.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + statusLine);
        }
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] b = head.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    void sendText(String text) throws IOException {
        send(WsFrameCodec.encode(WsFrame.TEXT, text.getBytes(StandardCharsets.UTF_8)));
    }

    void sendBinary(byte[] payload) throws IOException {
        send(WsFrameCodec.encode(WsFrame.BINARY, payload));
    }

    /** Writes bytes that are already frames (one or many, masked), e.g. a frame encoded once and sent again. */
    void send(byte[] frames) throws IOException {
        synchronized (writeLock) {
            out.write(frames);
            out.flush();
        }
    }

    /** The next message from the server; {@code null} when it closed the connection cleanly. */
    WsFrame read() throws IOException {
        return WsFrameCodec.read(in);
    }

    /** Up to {@code length} raw bytes, not parsed as frames: for a reader that only trickles. */
    int readRaw(byte[] buffer, int length) throws IOException {
        return in.read(buffer, 0, length);
    }

    /** A read timeout for what follows; 0 for none. */
    void readTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
