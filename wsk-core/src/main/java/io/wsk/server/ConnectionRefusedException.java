package io.wsk.server;

/** Thrown by a middleware to refuse a connection; the client receives {@code connect_error}. */
public class ConnectionRefusedException extends RuntimeException {

    private final transient Object data;

    public ConnectionRefusedException(String message) {
        this(message, null);
    }

    /** {@code data} is any JSON-serializable value sent to the client as {@code err.data}. */
    public ConnectionRefusedException(String message, Object data) {
        super(message, null, false, false);
        this.data = data;
    }

    public Object data() {
        return data;
    }
}
