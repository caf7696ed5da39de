package io.wsk.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * One TCP connection speaking HTTP/1.1 (and, after a 101, WebSocket frames) by hand, for what
 * {@link java.net.http.HttpClient} cannot do: abort a request, send hostile headers or bytes,
 * read an upgrade refusal's body, and see exactly when the server closes the connection.
 */
public final class RawConnection implements AutoCloseable {

    /** A parsed HTTP response. Header names are lower-cased. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A WebSocket frame from the server. */
    record Frame(boolean fin, int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or -1 when it carries none. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    static final int OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawConnection open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        return new RawConnection(socket);
    }

    /**
     * A connection whose receive buffer is {@code receiveBufferBytes} (set before connecting, so
     * the TCP window is that small): a client that stops reading then holds almost nothing, and
     * the server's own buffers fill as they would behind a slow network.
     */
    public static RawConnection openWithReceiveBuffer(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        return new RawConnection(socket);
    }

    /** Opens a WebSocket session ({@code transport=websocket}) and returns its sid, read from the open packet. */
    String openWebSocketSession(int port) throws IOException {
        return openWebSocketSession(port, "/engine.io/");
    }

    /** Like {@link #openWebSocketSession(int)}, on the endpoint at {@code path} (e.g. {@code /socket.io/}). */
    public String openWebSocketSession(int port, String path) throws IOException {
        write(webSocketRequest(port, "EIO=4&transport=websocket").replace("GET /engine.io/?", "GET " + path + "?"));
        Response response = readResponse();
        if (response.status() != 101) {
            fail("expected 101, got " + response.status());
        }
        String open = readFrame().text();
        int start = open.indexOf("\"sid\":\"") + 7;
        return open.substring(start, open.indexOf('"', start));
    }

    /** Whether a read would return at once (bytes, or the end of the stream) without blocking. */
    int available() throws IOException {
        return in.available();
    }

    /** A WebSocket opening handshake for {@code /engine.io/?<query>}, plus {@code extraHeaders} lines. */
    static String webSocketRequest(int port, String query, String... extraHeaders) {
        return webSocketRequest(port, query, true, extraHeaders);
    }

    /** As above; {@code withKey} false leaves out {@code Sec-WebSocket-Key}. */
    static String webSocketRequest(int port, String query, boolean withKey, String... extraHeaders) {
        StringBuilder request = new StringBuilder()
                .append("GET /engine.io/?").append(query).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (withKey) {
            request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        }
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one response: status line, headers, then a body of {@code Content-Length} bytes (none
     * for 1xx, 204 and 304, or when the length is absent and the status is 101).
     */
    Response readResponse() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            fail("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        List<String> length = headers.get("content-length");
        if (length != null && status >= 200 && status != 204 && status != 304) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        }
        return new Response(status, headers, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one masked client frame, as RFC 6455 requires of clients. */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        write(frameHeader(fin, opcode, payload.length));
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        write(mask);
        write(masked);
    }

    public void sendText(String text) throws IOException {
        sendFrame(true, OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first bytes of a masked frame up to (not including) the masking key. */
    static byte[] frameHeader(boolean fin, int opcode, long length) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            header.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            header.write(0x80 | 126);
            header.write((int) (length >>> 8));
            header.write((int) length);
        } else {
            header.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.write((int) (length >>> shift));
            }
        }
        return header.toByteArray();
    }

    /** Reads one (unmasked) server frame; fails if the connection ends first. */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            fail("connection closed before a WebSocket frame");
        }
        long length = b1 & 0x7f;
        if (length == 126) {
            length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (in.read() & 0xff);
            }
        }
        if ((b1 & 0x80) != 0) {
            fail("server frames must not be masked");
        }
        byte[] payload = in.readNBytes((int) length);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
    }

    /**
     * Whether the server ends the connection within {@code wait}: true on end-of-stream or a
     * reset, false when it is still open at the deadline. Bytes read meanwhile are dropped.
     */
    boolean closedByServerWithin(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, left));
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
