package io.wsk.server;

/** Told of each socket that connected to a namespace, on the socket's event loop. */
@FunctionalInterface
public interface ConnectionHandler {

    void onConnection(Socket socket);
}
