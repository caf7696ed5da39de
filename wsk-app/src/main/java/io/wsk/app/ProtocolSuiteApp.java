package io.wsk.app;

import io.netty.buffer.ByteBuf;
import io.wsk.engine.CorsPolicy;
import io.wsk.engine.Engine;
import io.wsk.engine.EngineOptions;
import io.wsk.engine.EngineSession;
import io.wsk.engine.SessionListener;
import io.wsk.http.HttpServer;
import io.wsk.protocol.EngineFrame;
import io.wsk.server.SocketIoOptions;
import io.wsk.server.SocketIoServer;

/**
 * What the official protocol test suites expect to find on the server under test, with their
 * timings (ping every 300 ms, 200 ms timeout) and CORS for any origin:
 * <ul>
 *   <li>{@code /engine.io/}: raw Engine.IO that echoes every message (text as text, binary as binary);</li>
 *   <li>{@code /socket.io/}: Socket.IO whose main namespace greets each socket with
 *       {@code auth(<handshake auth>)}, answers {@code message} with {@code message-back} and
 *       {@code message-with-ack} with an ack, all with the same arguments; {@code /custom} greets
 *       too; every other namespace is unknown.</li>
 * </ul>
 */
final class ProtocolSuiteApp implements ServerApp {

    static final EngineOptions ENGINE_OPTIONS = EngineOptions.builder()
            .path("/engine.io/")
            .pingIntervalMillis(300)
            .pingTimeoutMillis(200)
            .maxPayload(1_000_000)
            .cors(CorsPolicy.anyOrigin(false))
            .build();

    private final Engine engine = new Engine(ENGINE_OPTIONS, session -> session.setListener(new Echo()));
    private final SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
            .engine(EngineOptions.builder()
                    .path("/socket.io/")
                    .pingIntervalMillis(300)
                    .pingTimeoutMillis(200)
                    .maxPayload(1_000_000)
                    .cors(CorsPolicy.anyOrigin(false))
                    .build())
            .connectTimeoutMillis(1000)
            .build());

    ProtocolSuiteApp() {
        io.onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
        io.on("message", (socket, args, ack) -> socket.emit("message-back", args.toArray()));
        io.on("message-with-ack", (socket, args, ack) -> ack.send(args.toArray()));
        io.of("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    }

    @Override
    public void mount(HttpServer.Builder http) {
        engine.mountOn(http);
        io.mount(http);
    }

    @Override
    public java.util.List<Engine> engines() {
        return java.util.List.of(engine, io.engine());
    }

    @Override
    public java.util.List<SocketIoServer> servers() {
        return java.util.List.of(io);
    }

    @Override
    public void stop() {
        engine.close();
        io.close();
    }

    /** Sends every message straight back. */
    private static final class Echo implements SessionListener {
        @Override
        public void onMessage(EngineSession session, ByteBuf data, boolean binary) {
            ByteBuf copy = session.alloc().buffer(data.readableBytes() + 1);
            if (!binary) {
                copy.writeByte('4');
            }
            copy.writeBytes(data, data.readerIndex(), data.readableBytes());
            EngineFrame frame = binary ? EngineFrame.binaryMessage(copy) : EngineFrame.encodedMessage(copy);
            session.send(frame);
            frame.release();
        }

        @Override
        public void onClose(EngineSession session, String reason) {
        }
    }
}
