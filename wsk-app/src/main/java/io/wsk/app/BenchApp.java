package io.wsk.app;

import com.fasterxml.jackson.databind.JsonNode;

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
final class BenchApp extends SocketIoApp {

    BenchApp(ServeSettings settings) {
        super(settings);
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
        // Asks the sender a question with a deadline (ms): acks "answered", or "timeout" when it did not answer in time.
        io.on("ask", (socket, args, ack) -> {
            long millis = Math.max(1, Math.min(60_000, args.node(0) == null ? 1_000 : args.node(0).asLong(1_000)));
            socket.timeout(java.time.Duration.ofMillis(millis)).emitWithAck("question")
                    .whenComplete((reply, error) -> ack.send(error == null ? "answered" : "timeout"));
        });
        io.on("count", (socket, args, ack) ->
                io.fetchSockets().thenAccept(sockets -> ack.send(sockets.size())));
    }

}
