package io.wsk.app;

import io.netty.buffer.ByteBuf;
import io.wsk.engine.CorsPolicy;
import io.wsk.engine.Engine;
import io.wsk.engine.EngineOptions;
import io.wsk.engine.EngineSession;
import io.wsk.engine.SessionListener;
import io.wsk.http.HttpServer;
import io.wsk.protocol.EngineFrame;

/**
 * What the official protocol test suites expect to find on the server under test: a raw
 * Engine.IO endpoint at {@code /engine.io/} that echoes every message (text as text, binary as
 * binary), with the suite's timings and CORS for any origin.
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

    @Override
    public void mount(HttpServer.Builder http) {
        http.route(ENGINE_OPTIONS.path(), engine).maxBodyBytes(ENGINE_OPTIONS.maxPayload());
    }

    @Override
    public void stop() {
        engine.close();
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
