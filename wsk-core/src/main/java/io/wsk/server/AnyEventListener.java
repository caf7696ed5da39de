package io.wsk.server;

/** Sees every event a socket receives ({@link Socket#onAny}) or sends ({@link Socket#onAnyOutgoing}). */
@FunctionalInterface
public interface AnyEventListener {

    void onEvent(Socket socket, String event, EventArgs args);
}
