package io.wsk.client;

/** Handles one named event from the server. Runs on the client's listener thread. */
@FunctionalInterface
public interface EventListener {

    void onEvent(Args args, Ack ack);
}
