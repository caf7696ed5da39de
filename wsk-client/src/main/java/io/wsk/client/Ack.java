package io.wsk.client;

/**
 * Answers a server's emit that asked for an acknowledgement. {@link #send} may be called from any
 * thread, at most once (later calls do nothing, as in the JS client).
 */
public interface Ack {

    /** True when the server asked for an ack. */
    boolean isRequested();

    /** Sends the ack with these arguments ({@code byte[]} travel as binary). */
    void send(Object... args);

    /** For events without an ack id. */
    Ack NONE = new Ack() {
        @Override
        public boolean isRequested() {
            return false;
        }

        @Override
        public void send(Object... args) {
        }
    };
}
