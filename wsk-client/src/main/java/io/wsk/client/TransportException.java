package io.wsk.client;

import java.io.IOException;

/** A transport failed in a way the server reported (an HTTP error status, a refused upgrade). */
public final class TransportException extends IOException {

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
