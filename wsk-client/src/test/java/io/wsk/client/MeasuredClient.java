package io.wsk.client;

/**
 * A Socket.IO client library as {@link ClientFootprint} measures it: opens WebSocket-only
 * connections that reconnect with a given backoff, and tells each connect. Implemented for wsk's
 * client ({@link WskMeasuredClient}) and the official Java client ({@link OfficialMeasuredClient}),
 * so both are measured by the same code.
 */
interface MeasuredClient extends AutoCloseable {

    /** The JS client's defaults: {@code reconnectionDelay} 1000 ms, {@code randomizationFactor} 0.5. */
    Backoff DEFAULT_BACKOFF = new Backoff(1000, 0.5);

    /** {@code reconnectionDelay} (the first retry's) and {@code randomizationFactor}. */
    record Backoff(long delayMillis, double randomizationFactor) {
    }

    /** One connection: its own Engine.IO session to the server. */
    interface Connection {
        void close();
    }

    /** What the report calls it, e.g. "official, defaults". */
    String name();

    /** How many connections it can hold open at once, by its configuration. */
    default int maxConnections() {
        return Integer.MAX_VALUE;
    }

    /** Connects to namespace "/" of {@code url} over WebSocket only; {@code onConnect} runs at every connect. */
    Connection open(String url, Backoff backoff, Runnable onConnect);

    /** Releases what the connections shared (threads, pools); called once they are closed. */
    @Override
    void close();
}
