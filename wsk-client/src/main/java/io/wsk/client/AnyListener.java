package io.wsk.client;

/** Sees every event, with its name ({@code onAny}, {@code onAnyOutgoing}). Runs on the listener thread. */
@FunctionalInterface
public interface AnyListener {

    void onEvent(String event, Args args);
}
