package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.wsk.http.HttpExchange;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.PacketParseException;
import io.wsk.protocol.PollingPayloadEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP long-polling: the client holds one GET open to receive, and POSTs to send.
 * Runs on the session's event loop; the HTTP connections may live on other loops.
 */
final class PollingTransport implements Transport {

    private static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

    private final Engine engine;
    private final EngineSession session;
    /** The GET waiting for something to send, else {@code null}. */
    private HttpExchange waitingGet;
    /** Set-Cookie value for the handshake response only. */
    private String handshakeCookie;
    private boolean handshakeAnswer;
    private boolean discarded;
    /**
     * The client or the server closed the session while no GET was waiting. The client's long-poll
     * may still be in flight (on another connection, and so another event loop, than a client's
     * close packet); this answers that one GET, as if it had arrived first, rather than an
     * unknown-session error: a noop after the client's close, what was still queued and a close
     * packet after the server's.
     */
    private byte[] latePollAnswer;
    private int latePollFrames;
    /** A GET that arrived mid-upgrade gets its noop after this delay, unless the upgrade completes first. */
    private static final long UPGRADE_NOOP_DELAY_MILLIS = 50;

    PollingTransport(Engine engine, EngineSession session) {
        this.engine = engine;
        this.session = session;
    }

    @Override
    public TransportName name() {
        return TransportName.POLLING;
    }

    void setHandshakeCookie(String cookie) {
        this.handshakeCookie = cookie;
    }

    /** The next GET answered is the handshake's: its headers are the session's initial ones. */
    void expectHandshakeAnswer() {
        this.handshakeAnswer = true;
    }

    /** A GET or POST for this session, already hopped onto the session's loop. */
    void handle(HttpExchange exchange, ByteBuf body) {
        if (!session.isOpen() || discarded) {
            byte[] answer = latePollAnswer;
            if (answer != null && HttpMethod.GET.equals(exchange.method())) {
                latePollAnswer = null;
                respond(exchange, Unpooled.wrappedBuffer(answer), latePollFrames);
                engine.remove(session);
            } else {
                engine.respondError(exchange, discarded ? EngineError.BAD_REQUEST : EngineError.UNKNOWN_SID);
            }
            return;
        }
        if (session.expireIfTimedOut()) {
            engine.respondError(exchange, EngineError.UNKNOWN_SID);
            return;
        }
        HttpMethod method = exchange.method();
        if (HttpMethod.GET.equals(method)) {
            onGet(exchange);
        } else if (HttpMethod.POST.equals(method)) {
            onPost(exchange, body);
        } else {
            exchange.respondEmpty(HttpResponseStatus.INTERNAL_SERVER_ERROR, h -> engine.applyCors(exchange, h));
        }
    }

    private void onGet(HttpExchange exchange) {
        if (waitingGet != null) {
            // Two GETs at once: the client is confused or hostile. Answer the new one with 400
            // and end the session, which answers the first with a close packet.
            exchange.respondEmpty(HttpResponseStatus.BAD_REQUEST, h -> engine.applyCors(exchange, h));
            session.close(EngineSession.REASON_TRANSPORT_ERROR);
            return;
        }
        waitingGet = exchange;
        exchange.onAbort(() -> session.eventLoop().execute(() -> onGetAborted(exchange)));
        session.flush();
        if (waitingGet == exchange && session.isProbed()) {
            // The client should have paused polling once probed; a GET now is either the poll the
            // client is about to abandon (it needs a noop to move on) or one racing the final
            // upgrade packet on another connection (it must then be refused). Wait briefly to tell.
            session.eventLoop().schedule(() -> {
                if (waitingGet == exchange) {
                    releaseWaitingGet();
                }
            }, UPGRADE_NOOP_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void onGetAborted(HttpExchange exchange) {
        if (waitingGet == exchange) {
            waitingGet = null;
            if (!discarded) {
                session.transportClosed(this, EngineSession.REASON_TRANSPORT_ERROR);
            }
        }
    }

    private void onPost(HttpExchange exchange, ByteBuf body) {
        engine.stats().received(body.readableBytes());
        if (body.readableBytes() > engine.options().maxPayload()) {
            exchange.respondEmpty(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, h -> engine.applyCors(exchange, h));
            return;
        }
        String contentType = exchange.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(HttpHeaderValues.APPLICATION_OCTET_STREAM.toString())) {
            // v4 clients always send binary as base64 text; raw binary bodies are a v3 form.
            engine.respondError(exchange, EngineError.BAD_REQUEST);
            session.close(EngineSession.REASON_TRANSPORT_ERROR);
            return;
        }
        try {
            EnginePacketDecoder.decodePayload(body, (type, data, binary) -> session.receive(this, type, data, binary));
        } catch (PacketParseException e) {
            session.receiveMalformed(this);
        }
        exchange.respond(HttpResponseStatus.OK, "text/html", Unpooled.wrappedBuffer(OK),
                h -> engine.applyHeaders(exchange, h, false));
    }

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean isWritable() {
        return waitingGet != null;
    }

    @Override
    public boolean acceptsVolatile() {
        return waitingGet != null;
    }

    /**
     * Answers the waiting GET with the oldest frames, about {@code maxPayload} bytes of them (at
     * least one frame, whatever its size): the rest waits for the next GET. The reference sends
     * the whole buffer at once, however large; cutting it keeps each response, and what a client
     * that polls rarely makes the server build, the size the client was told it accepts.
     */
    @Override
    public void send(OutboundQueue frames) {
        HttpExchange get = waitingGet;
        waitingGet = null;
        long budget = engine.options().maxPayload();
        List<EngineFrame> batch = new ArrayList<>(Math.min(frames.size(), 16));
        long size = 0;
        do {
            EngineFrame frame = frames.poll();
            batch.add(frame);
            size += PollingPayloadEncoder.encodedLength(frame) + 1;
            EngineFrame next = frames.peek();
            if (next == null || size + PollingPayloadEncoder.encodedLength(next) + 1 > budget) {
                break;
            }
        } while (true);
        ByteBuf payload = PollingPayloadEncoder.encode(batch, get.channel().alloc());
        batch.forEach(EngineFrame::release);
        respond(get, payload, batch.size());
    }

    /** Answers {@code get} with {@code payload}, the encoding of {@code frames} frames. */
    private void respond(HttpExchange get, ByteBuf payload, int frames) {
        engine.stats().sent(frames, payload.readableBytes());
        String cookie = handshakeCookie;
        handshakeCookie = null;
        boolean initial = handshakeAnswer;
        handshakeAnswer = false;
        get.respond(HttpResponseStatus.OK, TEXT_PLAIN, payload, h -> {
            h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            if (cookie != null) {
                h.add(HttpHeaderNames.SET_COOKIE, cookie);
            }
            engine.applyHeaders(get, h, initial);
        });
    }

    /** Answers a waiting GET with a noop, so the client can move on (upgrade, close). */
    void releaseWaitingGet() {
        respondWaiting(EngineFrame.NOOP);
    }

    private void respondWaiting(EngineFrame frame) {
        HttpExchange get = waitingGet;
        if (get == null) {
            return;
        }
        waitingGet = null;
        respond(get, PollingPayloadEncoder.encode(List.of(frame), get.channel().alloc()), 1);
    }

    @Override
    public void close(Closing why, OutboundQueue pending, String reason) {
        List<EngineFrame> last = new ArrayList<>(pending.size() + 1);
        EngineFrame frame;
        while ((frame = pending.poll()) != null) {
            last.add(frame);
        }
        last.add(why == Closing.BY_CLIENT ? EngineFrame.NOOP : EngineFrame.CLOSE);
        HttpExchange get = waitingGet;
        waitingGet = null;
        ByteBuf payload = get != null || why != Closing.ON_ERROR
                ? PollingPayloadEncoder.encode(last, session.alloc()) : null;
        last.forEach(EngineFrame::release);
        if (get != null) {
            respond(get, payload, last.size());
        } else if (payload != null) {
            latePollAnswer = ByteBufUtil.getBytes(payload);
            latePollFrames = last.size();
            payload.release();
            engine.keepForLatePoll(session);
        }
    }

    @Override
    public void discard() {
        discarded = true;
        HttpExchange get = waitingGet;
        waitingGet = null;
        if (get != null) {
            engine.respondError(get, EngineError.BAD_REQUEST);
        }
    }
}
