package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.engine.Engine;
import io.wsk.http.HttpServer;
import io.wsk.server.SocketIoServer;
import java.util.List;

/**
 * The handlers benchmarks and cluster tests rely on, identical in the Node reference harness:
 * <ul>
 *   <li>{@code echo}: ack with the same arguments, or emit {@code echo} back when no ack is asked;</li>
 *   <li>{@code join}: join the named room;</li>
 *   <li>{@code pub}: broadcast event {@code b} with the same argument to everyone, or only to room
 *       {@code arg.room} when present;</li>
 *   <li>{@code count}: ack with the number of sockets in the whole cluster (via fetchSockets).</li>
 * </ul>
 */
final class BenchApp implements ServerApp {

    private final SocketIoServer io;

    BenchApp(ServeSettings settings) {
        io = SocketIoServer.create(settings.socketIoOptions().build());
        io.on("echo", (socket, args, ack) -> {
            if (ack.isRequested()) {
                ack.send(args.toArray());
            } else {
                socket.emit("echo", args.toArray());
            }
        });
        io.on("join", (socket, args, ack) -> {
            String room = args.string(0);
            if (room != null) {
                socket.join(room);
            }
            ack.send();
        });
        io.on("pub", (socket, args, ack) -> {
            JsonNode arg = args.node(0);
            JsonNode room = arg == null ? null : arg.get("room");
            if (room != null && room.isTextual()) {
                io.to(room.textValue()).emit("b", arg);
            } else {
                io.emit("b", arg);
            }
            ack.send();
        });
        io.on("count", (socket, args, ack) ->
                io.fetchSockets().thenAccept(sockets -> ack.send(sockets.size())));
    }

    @Override
    public void mount(HttpServer.Builder http) {
        io.mount(http);
    }

    @Override
    public List<Engine> engines() {
        return List.of(io.engine());
    }

    @Override
    public boolean clusterConnected() {
        return io.namespaces().values().stream().allMatch(nsp -> nsp.adapter().isConnected());
    }

    @Override
    public void stop() {
        io.close();
    }
}
