package io.wsk.app;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.engine.Engine;
import io.wsk.engine.EngineSession;
import io.wsk.engine.SessionListener;
import io.wsk.http.HttpServer;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default app. Until the Socket.IO layer lands it relays raw Engine.IO messages at
 * {@code /engine.io/} to every connected session (a chat at the Engine.IO level).
 */
final class DemoApp implements ServerApp {

    private final Set<EngineSession> sessions = ConcurrentHashMap.newKeySet();
    private final Engine engine;

    DemoApp(ServeSettings settings) {
        this.engine = new Engine(settings.engineOptions("/engine.io/").build(), session -> {
            sessions.add(session);
            session.setListener(new Relay());
        });
    }

    @Override
    public void mount(HttpServer.Builder http) {
        http.route(engine.options().path(), engine).maxBodyBytes(engine.options().maxPayload());
        http.route("/", exchange -> exchange.respond(HttpResponseStatus.OK, "text/plain; charset=UTF-8",
                Unpooled.copiedBuffer("wsk is running. Engine.IO endpoint: /engine.io/\n", StandardCharsets.UTF_8),
                null));
    }

    @Override
    public void stop() {
        engine.close();
    }

    private final class Relay implements SessionListener {
        @Override
        public void onMessage(EngineSession from, ByteBuf data, boolean binary) {
            if (binary) {
                return;
            }
            String text = data.toString(StandardCharsets.UTF_8);
            for (EngineSession session : sessions) {
                session.send(text);
            }
        }

        @Override
        public void onClose(EngineSession session, String reason) {
            sessions.remove(session);
        }
    }
}
