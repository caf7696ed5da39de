package io.wsk.server;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client's acknowledgement callback for one event. {@link #send} answers it at most once;
 * later calls, and calls when the client asked for no ack, do nothing. Thread-safe.
 */
public final class Ack {

    static final Ack NONE = new Ack(null, -1);

    private final Socket socket;
    private final long id;
    private final AtomicBoolean sent = new AtomicBoolean();

    Ack(Socket socket, long id) {
        this.socket = socket;
        this.id = id;
    }

    /** Whether the client is waiting for an answer. */
    public boolean isRequested() {
        return socket != null;
    }

    /** Answers the client with these arguments (any JSON-serializable values, byte[] for binary). */
    public void send(Object... args) {
        if (socket != null && sent.compareAndSet(false, true)) {
            socket.sendAck(id, args);
        }
    }
}
