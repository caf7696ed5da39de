package io.wsk.server;

/**
 * Handles one event from a client. Register it for every socket of a namespace
 * ({@link Namespace#on}) or for one socket ({@link Socket#on}).
 *
 * <p>Runs on the socket's event loop: it must not block (hand slow work to another executor and
 * answer through {@code ack} or {@link Socket#emit} from there; both are thread-safe).
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * @param socket the socket that sent the event
     * @param args   the event's arguments, without the event name
     * @param ack    answers the client's acknowledgement callback; a no-op when none was asked
     */
    void handle(Socket socket, EventArgs args, Ack ack);
}
