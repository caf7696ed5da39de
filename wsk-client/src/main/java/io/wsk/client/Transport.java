package io.wsk.client;

import io.wsk.protocol.EngineFrame;

import java.util.List;

/**
 * One Engine.IO transport of a connection: {@link PollingTransport} or {@link WebSocketTransport}.
 * Used only on the client's I/O thread.
 */
abstract class Transport {

    protected final TransportContext context;
    protected TransportListener listener;
    protected String sid;
    protected boolean closed;

    Transport(TransportContext context, String sid, TransportListener listener) {
        this.context = context;
        this.sid = sid;
        this.listener = listener;
    }

    abstract String name();

    abstract void open();

    /** Whether {@link #send} may be called now (nothing in flight). */
    abstract boolean writable();

    /** Writes the frames and releases them. Only when {@link #writable()}. */
    abstract void send(List<EngineFrame> frames);

    /** Stops reading; {@code onPaused} runs once nothing is in flight (polling, for an upgrade). */
    void pause(Runnable onPaused) {
        onPaused.run();
    }

    /** Undoes {@link #pause}, after a failed upgrade probe. */
    void resume() {
    }

    /**
     * Closes the transport, telling the server when {@code polite} (a close packet); no more
     * callbacks after it. Idempotent: implementations return when {@link #closed} is set, else set it.
     */
    abstract void close(boolean polite);

    void sid(String sid) {
        this.sid = sid;
    }

    void listener(TransportListener listener) {
        this.listener = listener;
    }

    /** Reports the close once, unless the owner closed it. */
    protected void failed(String reason, Throwable cause) {
        if (closed) {
            return;
        }
        close(false); // sets closed: the owner hears of it once, here
        listener.onTransportClose(this, reason, cause);
    }
}
