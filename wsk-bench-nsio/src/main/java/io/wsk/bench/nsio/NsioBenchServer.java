package io.wsk.bench.nsio;

import com.corundumstudio.socketio.SocketIOServer;

import java.io.IOException;
import java.io.InputStream;

/**
 * netty-socketio with the bench handlers: the second reference server of {@code wsk bench compare},
 * beside the Node one ({@code interop/bench/server.mjs}). Started through the {@code ./wsk} launcher
 * ({@code ./wsk bench-nsio <port>}), so it runs with the same JVM flags as a wsk node.
 *
 * <pre>
 *   bench-nsio &lt;port&gt; [host]     host defaults to 127.0.0.1
 * </pre>
 *
 * Like the Node server, it exits when its stdin ends, so it never outlives the harness.
 */
public final class NsioBenchServer {

    private NsioBenchServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: bench-nsio <port> [host]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        SocketIOServer server = new SocketIOServer(NsioSettings.configuration(host, port));
        BenchHandlers.addTo(server);
        server.start();
        System.out.println("{\"event\":\"listening\",\"port\":" + port + ",\"pid\":" + ProcessHandle.current().pid() + "}");
        awaitEndOfInput(System.in);
        server.stop();
        System.exit(0);
    }

    /** Returns when stdin ends: the harness closes it (or dies) when it is done with this server. */
    private static void awaitEndOfInput(InputStream in) throws IOException {
        byte[] discard = new byte[256];
        while (in.read(discard) >= 0) {
            // nothing is read from stdin; it is only the harness's lifeline
        }
    }
}
