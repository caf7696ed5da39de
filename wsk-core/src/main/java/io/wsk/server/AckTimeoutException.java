package io.wsk.server;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Acknowledgements did not all arrive in time ("operation has timed out"). For a broadcast,
 * {@link #responses()} holds those that did arrive.
 */
public class AckTimeoutException extends TimeoutException {

    private final transient List<EventArgs> responses;

    public AckTimeoutException(List<EventArgs> responses) {
        super("operation has timed out");
        this.responses = List.copyOf(responses);
    }

    public List<EventArgs> responses() {
        return responses;
    }
}
