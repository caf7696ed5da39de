package io.wsk.client;

/** An {@code emitWithAck} whose answer did not come within its timeout. */
public final class AckTimeoutException extends RuntimeException {

    public AckTimeoutException(String event, long millis) {
        super("operation has timed out: no ack for '" + event + "' within " + millis + " ms");
    }
}
