package io.wsk.server;

/** Told when a {@link PacketMiddleware} refused a packet of the socket (Node's {@code socket.on("error")}). */
@FunctionalInterface
public interface SocketErrorHandler {

    void onError(Socket socket, RuntimeException error);
}
