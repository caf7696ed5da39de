package io.wsk.app;

import io.wsk.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The default app: a chat in the spirit of the classic recipe. Each message is logged and
 * broadcast to everyone (across the cluster when a cluster adapter is used); joins and leaves
 * are announced. A small page at {@code /} uses the official JavaScript client.
 */
final class DemoApp extends SocketIoApp {

    private static final Logger log = LoggerFactory.getLogger(DemoApp.class);
    private static final int MAX_MESSAGE_LENGTH = 500;

    private final String path;

    DemoApp(ServeSettings settings) {
        super(settings);
        this.path = settings.path();
        // "online" is this node's count, and says so on the page: counting the whole cluster for
        // every connection would ask every node for all its sockets each time.
        io.onConnection(socket -> {
            log.info("{} connected from {}", socket.id(), socket.handshake().address());
            io.emit("presence", Map.of("user", shortId(socket.id()), "joined", true,
                    "online", io.sockets().sockets().size()));
        });
        io.on("chat message", (socket, args, ack) -> {
            String text = args.string(0);
            if (text == null || text.isBlank()) {
                return;
            }
            if (text.length() > MAX_MESSAGE_LENGTH) {
                text = text.substring(0, MAX_MESSAGE_LENGTH);
            }
            log.info("message from {}: {}", socket.id(), text);
            io.emit("chat message", Map.of("from", shortId(socket.id()), "text", text));
            ack.send("ok");
        });
        io.onDisconnect((socket, reason) -> {
            log.info("{} disconnected: {}", socket.id(), reason);
            io.emit("presence", Map.of("user", shortId(socket.id()), "joined", false,
                    "online", io.sockets().sockets().size()));
        });
    }

    private static String shortId(String id) {
        return id.substring(0, 6);
    }

    @Override
    public void mount(HttpServer.Builder http) {
        super.mount(http);
        // The page's client connects where the server listens (--path).
        http.route("/", new StaticResource("/static/index.html", "text/html; charset=UTF-8",
                page -> page.replace("const socket = io();", "const socket = io({ path: \"" + path + "\" });")));
        http.route("/socket.io/socket.io.min.js",
                new StaticResource("/static/socket.io.min.js", "application/javascript; charset=UTF-8"));
    }

}
