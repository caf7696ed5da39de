package io.wsk.engine;

/** The connection(s) a session currently talks through. Called on the session's event loop. */
interface Transport {

    TransportName name();

    /**
     * Whether {@link #send} may be called now: a polling GET is waiting, or the WebSocket's
     * outbound buffer is below its high water mark.
     */
    boolean isWritable();

    /** Whether a volatile packet would go out now rather than wait (drop it otherwise). */
    boolean acceptsVolatile();

    /**
     * Sends, removes and releases frames from the head of {@code frames}: as many as the client
     * can take now (a polling response of about {@code maxPayload} bytes; WebSocket frames until
     * the connection's outbound buffer is full). What is left waits for the next call.
     */
    void send(OutboundQueue frames);

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
     * Closes the transport because its session ended for {@code reason}; sends the
     * {@code pending} frames first when {@code why} is {@link Closing#BY_SERVER} and the transport
     * can still carry them. Removes and releases every frame in {@code pending}. A connection
     * whose peer does not read what is still on its way is closed outright after
     * {@link EngineOptions#closeTimeoutMillis()}.
     */
    void close(Closing why, OutboundQueue pending, String reason);

    /** Drops the transport after an upgrade replaced it, without closing the session. */
    void discard();
}
