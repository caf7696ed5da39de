package io.wsk.engine;

/**
 * Makes the id of each new Engine.IO session (Node's {@code generateId}), e.g. to carry a node's
 * name for routing. Ids must be unique, unguessable (an id is all a polling request shows to
 * prove whose session it is) and URL-safe; an id already in use, empty or {@code null} is
 * replaced by a random one. Called on the handshake's event loop: must not block.
 */
@FunctionalInterface
public interface SessionIdSource {

    String newId(Handshake request);
}
