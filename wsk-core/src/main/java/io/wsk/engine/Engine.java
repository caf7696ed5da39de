package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import io.wsk.http.HttpEndpoint;
import io.wsk.http.HttpExchange;
import io.wsk.http.HttpServer;
import io.wsk.limits.BreachLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An Engine.IO v4 endpoint: validates every request, opens sessions (polling or WebSocket),
 * routes polling requests to their session and upgrades sessions to WebSocket.
 *
 * <p>Mount it on an {@link io.wsk.http.HttpServer} at {@link EngineOptions#path()}. Requests are
 * checked in the reference server's order, and refused with its error codes
 * ({@link EngineError}).
 */
public final class Engine implements HttpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final long LATE_POLL_GRACE_MILLIS = 1_000;
    /** What a refused handshake tells the client (and a balancer) to wait before trying here again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final EngineOptions options;
    private final SessionOpenHandler openHandler;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final Map<EventLoop, TimerWheel> wheels = new ConcurrentHashMap<>();
    private final WebSocketHandshake webSocketHandshake;
    private volatile boolean accepting = true;
    private final BreachLog slowClients = new BreachLog(log, "slow clients closed (outbound bound reached)");
    private final BreachLog refusedHandshakes = new BreachLog(log, "handshakes refused (max connections reached)");
    private final BreachLog unexpectedErrors = new BreachLog(log, "unexpected errors in sessions");
    /**
     * Requests for sessions this node does not hold. A few follow a restart; a steady stream means
     * the proxy in front is not sticky (with cookie stickiness, the nodes must set the cookie).
     */
    private final BreachLog unknownSessions = new BreachLog(log, "requests for session ids this node does not hold "
            + "(answered 400 'Session ID unknown'; if it goes on, the proxy is not sticky: see the proxy's "
            + "stickiness, and with cookie stickiness such as HAProxy's 'cookie io prefix' start the nodes with the "
            + "session cookie, --cookie io)");
    private final EngineStats stats = new EngineStats();
    private final EngineListeners listeners = new EngineListeners();

    public Engine(EngineOptions options, SessionOpenHandler openHandler) {
        this.options = options;
        this.openHandler = openHandler;
        this.webSocketHandshake = new WebSocketHandshake(this, options.maxPayload());
    }

    public EngineOptions options() {
        return options;
    }

    /** Mounts this endpoint on {@code http} at its path, with a body limit covering its payloads. */
    public HttpServer.Builder mountOn(HttpServer.Builder http) {
        return http.routePrefix(options.path(), this).maxBodyBytes(options.maxPayload());
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** What this engine has done since it started, for metrics. */
    /** Adds an observer of every session and refused request (see {@link EngineListener}). */
    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    EngineListeners listeners() {
        return listeners;
    }

    public EngineStats stats() {
        return stats;
    }

    /** The bytes waiting in every session's queue (read racily: a gauge, not an invariant). */
    public long queuedBytes() {
        long total = 0;
        for (EngineSession session : sessions.values()) {
            total += session.queuedBytes();
        }
        return total;
    }

    /** Sessions closed because their client did not read what it was sent. */
    public BreachLog slowClients() {
        return slowClients;
    }

    /** Failures no client should be able to cause; logged with their stack, once per interval. */
    BreachLog unexpectedErrors() {
        return unexpectedErrors;
    }

    /** Handshakes refused because {@link EngineOptions#maxConnections()} sessions were open. */
    public BreachLog refusedHandshakes() {
        return refusedHandshakes;
    }

    public Collection<EngineSession> sessions() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    public EngineSession session(String sid) {
        return sessions.get(sid);
    }

    /** Refuses new sessions from now on (existing ones carry on); used while draining. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Closes every session (clients see a transport close and reconnect) and stops the timers. */
    public void close() {
        accepting = false;
        for (EngineSession session : sessions.values()) {
            session.eventLoop().execute(() -> session.close(EngineSession.REASON_SERVER_SHUTDOWN));
        }
        wheels.values().forEach(TimerWheel::stop);
    }

    void remove(EngineSession session) {
        sessions.remove(session.id(), session);
    }

    /** Keeps a closed polling session findable for a moment, for its last in-flight GET. */
    void keepForLatePoll(EngineSession session) {
        sessions.put(session.id(), session);
        session.eventLoop().schedule(() -> remove(session), LATE_POLL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    // ---- request handling, on the connection's event loop ----

    @Override
    public void handle(HttpExchange exchange) {
        HttpMethod method = exchange.method();
        if (HttpMethod.OPTIONS.equals(method) && options.cors().isEnabled()) {
            exchange.respondEmpty(HttpResponseStatus.NO_CONTENT, h -> options.cors()
                    .applyPreflight(exchange.headers().get(HttpHeaderNames.ORIGIN), exchange.headers(), h));
            return;
        }
        TransportName transport = TransportName.fromWireName(exchange.queryParam("transport"));
        if (transport == null || !options.transports().contains(transport)) {
            respondError(exchange, EngineError.UNKNOWN_TRANSPORT);
            return;
        }
        String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && hasInvalidHeaderChars(origin)) {
            respondError(exchange, EngineError.BAD_REQUEST);
            return;
        }
        boolean upgrade = isWebSocketUpgrade(exchange.headers());
        String sid = exchange.queryParam("sid");
        if (sid != null) {
            handleSessionRequest(exchange, sid, transport, upgrade);
        } else {
            handleHandshake(exchange, transport, upgrade, origin);
        }
    }

    private void handleSessionRequest(HttpExchange exchange, String sid, TransportName transport, boolean upgrade) {
        EngineSession session = sessions.get(sid);
        if (session == null) {
            // The id as the client sent it, cut short and printable: it is the client's text.
            String shown = sid.length() > 32 ? sid.substring(0, 32) + "..." : sid;
            unknownSessions.record(exchange.remoteIp() + " " + exchange.method() + " sid " + shown.replaceAll("[^\\x21-\\x7e]", "?"));
            respondError(exchange, EngineError.UNKNOWN_SID);
            return;
        }
        if (transport == TransportName.WEBSOCKET) {
            if (!upgrade || !options.allowUpgrades()) {
                respondError(exchange, EngineError.BAD_REQUEST);
                return;
            }
            WebSocketTransport ws = webSocketHandshake.upgrade(exchange, session, false);
            if (ws == null) {
                return;
            }
            if (session.transportName() != TransportName.POLLING) {
                // Only one WebSocket per session. Like the reference, accept the handshake and then
                // close: clients that see an HTTP error here report it as an unhandled error.
                ws.close();
                return;
            }
            session.eventLoop().execute(() -> session.beginUpgrade(ws));
            return;
        }
        if (session.transportName() != TransportName.POLLING) {
            respondError(exchange, EngineError.BAD_REQUEST);
            return;
        }
        PollingTransport polling = session.pollingTransport();
        if (polling == null) {
            respondError(exchange, EngineError.BAD_REQUEST);
            return;
        }
        if (session.eventLoop().inEventLoop()) {
            polling.handle(exchange, exchange.body());
        } else {
            ByteBuf body = exchange.body().retain();
            session.eventLoop().execute(() -> {
                try {
                    polling.handle(exchange, body);
                } finally {
                    body.release();
                }
            });
        }
    }

    private void handleHandshake(HttpExchange exchange, TransportName transport, boolean upgrade, String origin) {
        if (!HttpMethod.GET.equals(exchange.method())) {
            respondError(exchange, EngineError.BAD_HANDSHAKE_METHOD);
            return;
        }
        if (transport == TransportName.WEBSOCKET && !upgrade) {
            respondError(exchange, EngineError.BAD_REQUEST);
            return;
        }
        if (!"4".equals(exchange.queryParam("EIO"))) {
            respondError(exchange, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        if (!accepting) {
            // Draining: 503 tells clients and balancers to try another node, not that they are refused.
            respondUnavailable(exchange, "Server is shutting down");
            return;
        }
        if (sessions.size() >= options.maxConnections()) {
            refusedHandshakes.record(exchange.remoteIp() + " (" + sessions.size() + " sessions open)");
            respondUnavailable(exchange, "Server is at capacity");
            return;
        }
        if (transport == TransportName.WEBSOCKET && !options.webSocketOrigins().allows(origin)) {
            respondError(exchange, EngineError.FORBIDDEN, "Origin not allowed");
            return;
        }
        HandshakeFilter filter = options.handshakeFilter();
        if (filter != null) {
            String refusal;
            try {
                refusal = filter.refuse(exchange);
            } catch (RuntimeException e) {
                log.warn("handshake filter failed", e);
                refusal = "Forbidden";
            }
            if (refusal != null) {
                respondError(exchange, EngineError.FORBIDDEN, refusal);
                return;
            }
        }
        if (transport == TransportName.POLLING) {
            openPollingSession(exchange);
        } else {
            openWebSocketSession(exchange);
        }
    }

    /**
     * Pings may leave up to one tick late; a tick of 1/50 of the ping interval keeps that under
     * 2% (6 ms for the test suites' 300 ms, 50 ms for the default 25 s) without waking idle loops
     * more often than needed.
     */
    private long wheelTickMillis() {
        return Math.max(5, Math.min(50, options.pingIntervalMillis() / 50));
    }

    private EngineSession newSession(HttpExchange exchange) {
        Channel channel = exchange.channel();
        EventLoop loop = channel.eventLoop();
        TimerWheel wheel = wheels.computeIfAbsent(loop, l -> new TimerWheel(l, wheelTickMillis()));
        Handshake handshake = new Handshake(exchange.headers(), exchange.remoteIp(), exchange.uri(),
                System.currentTimeMillis(),
                channel.pipeline().get(SslHandler.class) != null);
        return new EngineSession(this, sessionId(handshake), loop, handshake, wheel);
    }

    /**
     * The application's id for a new session ({@link EngineOptions#sessionIds()}), or the
     * built-in random one when it gives none or one in use: a duplicate would hand one client's
     * session to another.
     */
    private String sessionId(Handshake handshake) {
        SessionIdSource source = options.sessionIds();
        if (source != null) {
            try {
                String id = source.newId(handshake);
                if (id != null && !id.isEmpty() && !sessions.containsKey(id)) {
                    return id;
                }
                log.warn("session id source gave {}: using a random id", id == null || id.isEmpty() ? "no id" : "an id in use");
            } catch (RuntimeException e) {
                log.warn("session id source failed: using a random id", e);
            }
        }
        return SessionIdGenerator.next();
    }

    private void openPollingSession(HttpExchange exchange) {
        EngineSession session = newSession(exchange);
        PollingTransport polling = new PollingTransport(this, session);
        polling.expectHandshakeAnswer();
        session.start(polling);
        stats.opened(TransportName.POLLING);
        sessions.put(session.id(), session);
        session.sendOpenPacket(options.allowUpgrades() && options.transports().contains(TransportName.WEBSOCKET));
        if (options.cookieName() != null) {
            polling.setHandshakeCookie(options.cookieName() + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax");
        }
        notifyOpen(session);
        listeners.opened(session);
        polling.handle(exchange, Unpooled.EMPTY_BUFFER);
    }

    private void openWebSocketSession(HttpExchange exchange) {
        EngineSession session = newSession(exchange);
        WebSocketTransport ws = webSocketHandshake.upgrade(exchange, session, true);
        if (ws == null) {
            return;
        }
        session.start(ws);
        stats.opened(TransportName.WEBSOCKET);
        sessions.put(session.id(), session);
        session.sendOpenPacket(false);
        notifyOpen(session);
        listeners.opened(session);
    }

    private void notifyOpen(EngineSession session) {
        try {
            openHandler.onOpen(session);
        } catch (RuntimeException e) {
            log.warn("session open handler failed for {}", session.id(), e);
            session.close(EngineSession.REASON_FORCED_CLOSE);
        }
    }

    private static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Control characters are not allowed in header values (the reference server's check). */
    private static boolean hasInvalidHeaderChars(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return true;
            }
        }
        return false;
    }

    // ---- replies ----

    void applyCors(HttpExchange exchange, HttpHeaders response) {
        options.cors().apply(exchange.headers().get(HttpHeaderNames.ORIGIN), response);
    }

    /**
     * The headers of an answer the transport gives (polling GET and POST, WebSocket upgrade):
     * CORS, then the listeners' own ({@code initial} for a handshake's answer).
     */
    void applyHeaders(HttpExchange exchange, HttpHeaders response, boolean initial) {
        applyCors(exchange, response);
        listeners.headers(response, exchange, initial);
    }

    /** {@code 503} with {@code Retry-After}: this node cannot take the client now, another may. */
    private void respondUnavailable(HttpExchange exchange, String message) {
        stats.unavailable();
        listeners.refused(new ConnectionError(exchange.remoteIp(), exchange.uri(), -1, message));
        exchange.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                Unpooled.copiedBuffer("{\"message\":" + jsonString(message) + "}", StandardCharsets.UTF_8),
                h -> {
                    h.setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
                    applyCors(exchange, h);
                });
    }

    void respondError(HttpExchange exchange, EngineError error) {
        respondError(exchange, error, error.message());
    }

    void respondError(HttpExchange exchange, EngineError error, String message) {
        stats.refused(error);
        listeners.refused(new ConnectionError(exchange.remoteIp(), exchange.uri(), error.code(), message));
        String json = "{\"code\":" + error.code() + ",\"message\":" + jsonString(message) + "}";
        exchange.respond(error.status(), "application/json",
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8), h -> applyCors(exchange, h));
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
