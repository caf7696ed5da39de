package io.wsk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One plain-socket connection to a Redis server speaking RESP2, with no client library: tests
 * check what a Redis adapter does (channels, subscriber counts, raw payloads) independently of
 * any client the adapter itself uses, and can send bytes no client would (bad input).
 *
 * <p>Arguments are {@code String}s (sent as UTF-8), {@code byte[]}s (sent as they are) or numbers.
 * Replies come back raw: simple strings as {@code String}, integers as {@code Long}, bulk
 * strings as {@code byte[]} ({@code null} for a null bulk), arrays as {@code List<Object>}
 * ({@code null} for a null array); an error reply is thrown as {@link ErrorReply} by
 * {@link #call}, returned as one by {@link #read}.
 *
 * <p>Pub/sub works too: {@link #call} the (P|S)SUBSCRIBE, then {@link #read} the pushed messages;
 * {@link #hasInput} tells whether one came.
 */
public final class RespConnection implements AutoCloseable {

    /** How long a reply may take once it has started, and {@link #call} waits for one. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port}, waiting up to {@code timeout}; no AUTH (see {@link #call}). */
    public static RespConnection open(String host, int port, Duration timeout) {
        return open(host, port, timeout, null);
    }

    /**
     * Like {@link #open(String, int, Duration)}, over TLS through {@code tls} when it is not
     * {@code null} (the handshake done here, within {@code timeout}; no host name check).
     */
    public static RespConnection open(String host, int port, Duration timeout, javax.net.ssl.SSLSocketFactory tls) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            if (tls != null) {
                socket.setSoTimeout((int) timeout.toMillis());
                javax.net.ssl.SSLSocket secured = (javax.net.ssl.SSLSocket) tls.createSocket(socket, host, port, true);
                socket = secured;
                secured.startHandshake();
            }
            return new RespConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new UncheckedIOException("connecting to redis at " + host + ":" + port, e);
        }
    }

    /** An error reply ({@code -ERR ...}, {@code -NOAUTH ...}). */
    public static final class ErrorReply extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ErrorReply(String message) {
            super(message);
        }
    }

    /** Sends one command and reads its reply; an error reply is thrown as {@link ErrorReply}. */
    public Object call(Object... args) {
        return callWithin(REPLY_TIMEOUT, args);
    }

    /** {@link #call}, waiting up to {@code timeout} for the reply. */
    public Object callWithin(Duration timeout, Object... args) {
        write(args);
        Object reply;
        try {
            reply = read(timeout);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("no reply to " + describe(args), e.getCause());
        }
        if (reply instanceof ErrorReply error) {
            throw new ErrorReply(error.getMessage() + " (in reply to " + describe(args) + ")");
        }
        return reply;
    }

    /** Sends one command without reading anything. */
    public void write(Object... args) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            buffer.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (Object arg : args) {
                byte[] bytes = bytes(arg);
                buffer.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buffer.write(bytes);
                buffer.write('\r');
                buffer.write('\n');
            }
            out.write(buffer.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + describe(args) + " to redis", e);
        }
    }

    /**
     * The next reply or pushed message, waiting up to {@code timeout} for it to start. Errors are
     * returned as {@link ErrorReply}, not thrown.
     *
     * @throws UncheckedIOException if none started in time (a {@link SocketTimeoutException}) or
     *                              the connection broke
     */
    public Object read(Duration timeout) {
        if (peek(timeout) == -2) {
            throw new UncheckedIOException(new SocketTimeoutException(
                    "nothing from redis within " + timeout.toMillis() + " ms"));
        }
        try {
            // The rest of a reply follows at once: a stall there is a broken connection.
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            return readValue(in.read());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from redis", e);
        }
    }

    /** Whether a reply or pushed message starts within {@code timeout}; it stays there for {@link #read}. */
    public boolean hasInput(Duration timeout) {
        return peek(timeout) >= 0;
    }

    /** The next byte, left unread, waiting up to {@code timeout}: -1 at the end of the stream, -2 if none came. */
    private int peek(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            in.mark(1);
            int first = in.read();
            if (first >= 0) {
                in.reset();
            }
            return first;
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from redis", e);
        }
    }

    private Object readValue(int type) throws IOException {
        switch (type) {
            case -1:
                throw new EOFException("redis closed the connection");
            case '+':
                return line();
            case '-':
                return new ErrorReply(line());
            case ':':
                return Long.parseLong(line());
            case '$': {
                int length = Integer.parseInt(line());
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk string from redis");
                }
                return bytes;
            }
            case '*': {
                int count = Integer.parseInt(line());
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readValue(in.read()));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP2 reply: type byte " + type);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("redis closed the connection mid-reply");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = buffer.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            buffer.write(b);
            previous = b;
        }
    }

    private static byte[] bytes(Object arg) {
        if (arg instanceof byte[] bytes) {
            return bytes;
        }
        if (arg instanceof String || arg instanceof Number) {
            return arg.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("a redis argument must be a String, byte[] or number, not " + arg);
    }

    private static String describe(Object[] args) {
        StringBuilder text = new StringBuilder();
        for (Object arg : args) {
            text.append(text.isEmpty() ? "" : " ")
                    .append(arg instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : String.valueOf(arg));
        }
        return text.toString();
    }

    /**
     * Replies with every bulk string decoded as UTF-8, for assertions on text replies
     * ({@code PUBSUB NUMSUB ch} gives {@code ["ch", 2L]}).
     */
    public static Object asText(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (reply instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(asText(item)));
            return items;
        }
        return reply;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
