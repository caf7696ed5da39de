package io.wsk.engine;

import io.wsk.protocol.EngineFrame;

import java.util.Queue;

/** The connection(s) a session currently talks through. Called on the session's event loop. */
interface Transport {

    TransportName name();

    /** Whether {@link #send} may be called now (polling: a GET is waiting). */
    boolean isWritable();

    /** Sends and removes every frame in {@code frames}, releasing each. */
    void send(Queue<EngineFrame> frames);

    /**
     * Closes the transport because its session ended. {@code byClient}: the client asked for the
     * close, so a waiting polling GET is released with a noop instead of a close packet.
     */
    void close(boolean byClient);

    /** Drops the transport after an upgrade replaced it, without closing the session. */
    void discard();
}
