package io.wsk.client;

import java.net.URI;

/**
 * Where to start: {@code WskClient.connect("http://localhost:3000/chat", options)} is the JS
 * client's {@code io(url, options)}: a {@link Manager} for the server, and the socket of the
 * namespace in the URL's path ({@code /} when none), connecting.
 *
 * <pre>{@code
 * ClientSocket socket = WskClient.socket("http://localhost:3000", ClientOptions.defaults());
 * socket.onConnect(() -> System.out.println("connected " + socket.id()));
 * socket.on("chat", (args, ack) -> System.out.println(args.string(0)));
 * socket.connect();
 * socket.emitWithAck("echo", "hi").thenAccept(reply -> ...);
 * socket.io().close(); // frees its threads
 * }</pre>
 */
public final class WskClient {

    private WskClient() {
    }

    /** The socket of the URL's namespace on a new manager, not connected yet (add listeners first). */
    public static ClientSocket socket(String url, ClientOptions options) {
        URI uri = URI.create(url);
        String nsp = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        return new Manager(uri, options).socket(nsp);
    }

    /** Like {@link #socket} and connecting at once. */
    public static ClientSocket connect(String url, ClientOptions options) {
        return socket(url, options).connect();
    }
}
