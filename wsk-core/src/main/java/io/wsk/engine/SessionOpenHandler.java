package io.wsk.engine;

/**
 * Told of every new session, on its event loop, before the handshake reply is written: frames sent
 * here travel with the open packet.
 */
@FunctionalInterface
public interface SessionOpenHandler {

    void onOpen(EngineSession session);
}
