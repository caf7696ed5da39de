package io.wsk.bench.nsio;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.MultiTypeArgs;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;

import java.util.Arrays;
import java.util.Map;

/**
 * The bench handlers, the same as wsk's {@code BenchApp} and {@code interop/bench/handlers.mjs}:
 * <ul>
 *   <li>{@code echo}: ack with the same arguments, or emit {@code echo} back with them when no ack is asked;</li>
 *   <li>{@code join}: join the room named by the first argument; ack;</li>
 *   <li>{@code pub}: emit {@code b} with the argument to everyone, or only to room {@code arg.room}; ack;</li>
 *   <li>{@code count}: ack with the number of connected sockets (one node: no cluster to ask).</li>
 * </ul>
 */
final class BenchHandlers {

    /**
     * netty-socketio decodes only as many arguments as a listener declares, and drops the rest:
     * echo declares this many, so it hands back every argument of any event the benchmarks send.
     */
    static final int ECHO_MAX_ARGS = 16;

    private BenchHandlers() {
    }

    static void addTo(SocketIOServer server) {
        Class<?>[] anyArgs = new Class<?>[ECHO_MAX_ARGS];
        Arrays.fill(anyArgs, Object.class);
        server.addMultiTypeEventListener("echo", (SocketIOClient client, MultiTypeArgs args, AckRequest ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(args.getArgs());
            } else {
                client.sendEvent("echo", args.getArgs().toArray());
            }
        }, anyArgs);
        server.addEventListener("join", Object.class, (SocketIOClient client, Object room, AckRequest ack) -> {
            if (room instanceof String name) {
                client.joinRoom(name);
            }
            ack.sendAckData();
        });
        server.addEventListener("pub", Object.class, (SocketIOClient client, Object arg, AckRequest ack) -> {
            Object room = arg instanceof Map<?, ?> fields ? fields.get("room") : null;
            if (room instanceof String name) {
                server.getRoomOperations(name).sendEvent("b", arg);
            } else {
                server.getBroadcastOperations().sendEvent("b", arg);
            }
            ack.sendAckData();
        });
        server.addEventListener("count", Object.class, (SocketIOClient client, Object ignored, AckRequest ack) ->
                ack.sendAckData(server.getAllClients().size()));
    }
}
