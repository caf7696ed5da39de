package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.engine.EngineOptions;
import io.wsk.http.HttpServer;
import io.wsk.server.Namespace;
import io.wsk.server.RecoveryOptions;
import io.wsk.server.SocketIoOptions;
import io.wsk.server.SocketIoServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A wsk server as the client tests' peer, in a process of its own (so a test can SIGKILL it and
 * start another on the same port): the same handlers and stdin/stdout protocol as
 * {@code interop/client/server.mjs}, which documents them. Run by {@link PeerProcess}.
 *
 * <pre>java -cp (test classpath) io.wsk.client.WskPeerMain port [{"recovery":true,"pingInterval":300,"pingTimeout":200}]</pre>
 */
public final class WskPeerMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WskPeerMain() {
    }

    public static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(argv[0]);
        JsonNode options = argv.length > 1 ? JSON.readTree(argv[1]) : JSON.createObjectNode();
        EngineOptions.Builder engine = EngineOptions.builder().path("/socket.io/");
        if (options.has("pingInterval")) {
            engine.pingIntervalMillis(options.get("pingInterval").asLong());
        }
        if (options.has("pingTimeout")) {
            engine.pingTimeoutMillis(options.get("pingTimeout").asLong());
        }
        SocketIoOptions.Builder sio = SocketIoOptions.builder().engine(engine.build());
        if (options.path("recovery").asBoolean()) {
            sio.recovery(RecoveryOptions.defaults());
        }
        SocketIoServer io = SocketIoServer.create(sio.build());
        io.of("/admin").use((socket, next) -> {
            if ("secret".equals(socket.handshake().auth().path("token").asText(null))) {
                next.proceed();
            } else {
                next.reject("not authorized", java.util.Map.of("hint", "send a token"));
            }
        });
        handlers(io.of("/"));
        handlers(io.of("/admin"));
        HttpServer.Builder builder = HttpServer.builder().host("127.0.0.1").port(port).ioThreads(1);
        if (options.has("tlsCert")) {
            builder.tls(new io.wsk.http.TlsFiles(java.nio.file.Path.of(options.get("tlsCert").asText()),
                    java.nio.file.Path.of(options.get("tlsKey").asText())));
        }
        HttpServer http = io.mount(builder).start();
        report(JSON.createObjectNode().put("event", "listening").put("port", http.port()));

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode command = JSON.readTree(line);
            Namespace nsp = io.of(command.path("nsp").asText("/"));
            Object[] args = fromWire(command.path("args"));
            if (command.hasNonNull("to")) {
                nsp.to(command.get("to").asText()).emit(command.get("event").asText(), args);
            } else {
                nsp.emit(command.get("event").asText(), args);
            }
            report(JSON.createObjectNode().put("event", "result").put("id", command.path("id").asText()));
        }
        io.close();
        http.close();
        System.exit(0);
    }

    private static void handlers(Namespace nsp) {
        String name = nsp.name();
        nsp.onConnection(socket -> {
            report(JSON.createObjectNode().put("event", "connection").put("nsp", name).put("id", socket.id())
                    .put("recovered", socket.recovered()).put("transport", socket.transport().name().toLowerCase()));
            socket.conn().onUpgrade(() -> report(JSON.createObjectNode().put("event", "upgrade").put("transport", "websocket")));
        });
        nsp.onDisconnect((socket, reason) -> report(JSON.createObjectNode().put("event", "disconnect")
                .put("nsp", name).put("id", socket.id()).put("reason", String.valueOf(reason))));
        nsp.on("echo", (socket, args, ack) -> {
            if (ack.isRequested()) {
                ack.send(args.toArray());
            } else {
                socket.emit("echo", args.toArray());
            }
        });
        nsp.on("join", (socket, args, ack) -> {
            if (args.string(0) != null) {
                socket.join(args.string(0));
            }
            ack.send();
        });
        nsp.on("pub", (socket, args, ack) -> {
            JsonNode arg = args.node(0);
            JsonNode room = arg == null ? null : arg.get("room");
            if (room != null && room.isTextual()) {
                nsp.to(room.textValue()).emit("b", arg);
            } else {
                nsp.emit("b", arg);
            }
            ack.send();
        });
        nsp.on("auth", (socket, args, ack) -> ack.send(socket.handshake().auth()));
        nsp.on("handshake", (socket, args, ack) -> {
            java.util.Map<String, Object> seen = new java.util.HashMap<>();
            seen.put("query", socket.handshake().queryParam("q"));
            seen.put("header", socket.handshake().header("x-wsk-test"));
            ack.send(seen);
        });
        nsp.on("ask", (socket, args, ack) -> socket.timeout(Duration.ofSeconds(5)).emitWithAck("question", args.toArray())
                .whenComplete((answer, error) -> {
                    if (error == null) {
                        ack.send(JSON.createArrayNode().add(answer.node(0))); // Node acks with the first answer only
                    } else {
                        ack.send(JSON.createObjectNode().put("error", error.getMessage()));
                    }
                }));
        nsp.on("askAll", (socket, args, ack) -> nsp.timeout(Duration.ofSeconds(5)).emitWithAck("question", args.toArray())
                .whenComplete((answers, error) -> {
                    com.fasterxml.jackson.databind.node.ArrayNode firsts = JSON.createArrayNode();
                    if (answers != null) {
                        answers.forEach(answer -> firsts.add(answer.node(0)));
                    }
                    ack.send(firsts); // as Node's: each socket's first ack argument
                }));
        nsp.on("drop", (socket, args, ack) -> socket.conn().close());
        nsp.on("leave", (socket, args, ack) -> socket.disconnect());
    }

    private static Object[] fromWire(JsonNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < args.size(); i++) {
            JsonNode arg = args.get(i);
            out[i] = arg.isObject() && arg.size() == 1 && arg.has("$binary")
                    ? Base64.getDecoder().decode(arg.get("$binary").asText()) : arg;
        }
        return out;
    }

    private static synchronized void report(ObjectNode event) {
        System.out.println(event);
        System.out.flush();
    }
}
