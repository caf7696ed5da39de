package io.wsk.server;

/**
 * Told when a socket is disconnecting (still in its rooms) or has disconnected, with the reason
 * (see {@link DisconnectReason}).
 */
@FunctionalInterface
public interface DisconnectHandler {

    void onDisconnect(Socket socket, String reason);
}
