package io.wsk.engine;

import io.wsk.protocol.EngineFrame;

import java.util.Queue;

/** The connection(s) a session currently talks through. Called on the session's event loop. */
interface Transport {

    TransportName name();

    /** Whether {@link #send} may be called now (polling: a GET is waiting). */
    boolean isWritable();

    /** Whether a volatile packet would go out now rather than wait (drop it otherwise). */
    boolean acceptsVolatile();

    /** Sends and removes every frame in {@code frames}, releasing each. */
    void send(Queue<EngineFrame> frames);

    /** Why a session ends, which decides what its client is still told. */
    enum Closing {
        /** The client sent a close packet: a waiting polling GET is released with a noop. */
        BY_CLIENT,
        /**
         * The server closes the session: what was queued before still goes out, then a close
         * packet, also to a polling GET arriving just after (the reference drains its buffer first).
         */
        BY_SERVER,
        /** A failure (ping timeout, parse or transport error): a close packet to a waiting GET, if any. */
        ON_ERROR
    }

    /**
     * Closes the transport because its session ended; sends the {@code pending} frames first when
     * {@code why} is {@link Closing#BY_SERVER} and the transport can still carry them. Removes and
     * releases every frame in {@code pending}.
     */
    void close(Closing why, Queue<EngineFrame> pending);

    /** Drops the transport after an upgrade replaced it, without closing the session. */
    void discard();
}
