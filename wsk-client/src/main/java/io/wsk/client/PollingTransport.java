package io.wsk.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.EnginePacketType;
import io.wsk.protocol.PacketParseException;
import io.wsk.protocol.PollingPayloadEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP long-polling (protocol.md 1.4): a GET always waiting for the server's packets, answered
 * with a {@code 0x1E}-separated payload and sent again at once, and a POST for each batch the
 * client writes. Each has its own keep-alive connection.
 */
final class PollingTransport extends Transport {

    static final String NAME = ClientOptions.POLLING;

    private final HttpConnection reads;
    private final HttpConnection writes;
    private boolean polling;
    private boolean writing;
    private boolean paused;
    private Runnable onPaused;

    PollingTransport(TransportContext context, TransportListener listener) {
        super(context, null, listener);
        this.reads = new HttpConnection(context);
        this.writes = new HttpConnection(context);
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    void open() {
        listener.onTransportOpen(this);
        poll();
    }

    @Override
    boolean writable() {
        return !closed && !writing && sid != null;
    }

    private void poll() {
        if (closed || paused || polling) {
            return;
        }
        polling = true;
        reads.send(request(HttpMethod.GET, Unpooled.EMPTY_BUFFER), this::onPollResponse);
    }

    private void onPollResponse(FullHttpResponse response, Throwable error) {
        polling = false;
        if (error != null) {
            failed("transport error", new TransportException("xhr poll error: " + error, error));
            return;
        }
        try {
            if (response.status().code() != 200) {
                failed("transport error", new TransportException("xhr poll error: " + describe("GET", response)));
                return;
            }
            EnginePacketDecoder.decodePayload(response.content(),
                    (type, data, binary) -> {
                        if (!closed) {
                            listener.onPacket(this, type, data, binary);
                        }
                    });
        } catch (PacketParseException e) {
            failed("parse error", e);
            return;
        } finally {
            response.release();
        }
        if (paused) {
            checkPaused();
        } else {
            poll();
        }
    }

    @Override
    void send(List<EngineFrame> frames) {
        ByteBuf body;
        try {
            body = PollingPayloadEncoder.encode(frames, TransportContext.ALLOC);
        } finally {
            frames.forEach(EngineFrame::release);
        }
        writing = true;
        writes.send(request(HttpMethod.POST, body), (response, error) -> {
            writing = false;
            if (error != null) {
                failed("transport error", new TransportException("xhr post error: " + error, error));
                return;
            }
            int status = response.status().code();
            String description = status == 200 ? null : describe("POST", response);
            response.release();
            if (description != null) {
                failed("transport error", new TransportException("xhr post error: " + description));
                return;
            }
            if (paused) {
                checkPaused();
            }
            listener.onDrain(this);
        });
    }

    @Override
    void pause(Runnable onPaused) {
        paused = true;
        this.onPaused = onPaused;
        checkPaused();
    }

    @Override
    void resume() {
        paused = false;
        onPaused = null;
        poll();
    }

    private void checkPaused() {
        if (!polling && !writing && onPaused != null) {
            Runnable run = onPaused;
            onPaused = null;
            run.run();
        }
    }

    private FullHttpRequest request(HttpMethod method, ByteBuf body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
                context.address.pollingTarget(sid), body);
        request.headers().set(HttpHeaderNames.HOST, context.address.hostHeader());
        request.headers().set(HttpHeaderNames.ACCEPT, "*/*");
        if (method == HttpMethod.POST) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
        }
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        context.options.extraHeaders().forEach(request.headers()::set);
        context.cookies.addTo(request.headers());
        return request;
    }

    private static String describe(String method, FullHttpResponse response) {
        String body = response.content().toString(StandardCharsets.UTF_8);
        return method + " answered " + response.status() + (body.isEmpty() ? "" : ": " + abbreviate(body));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    void close(boolean polite) {
        if (closed) {
            return;
        }
        closed = true;
        if (polite && sid != null && !writing) {
            // The close packet tells the server at once (it would otherwise wait for a ping
            // timeout); the connections are dropped once it is answered, or failed.
            writes.send(request(HttpMethod.POST, Unpooled.copiedBuffer(new byte[] {(byte) EnginePacketType.CLOSE.digit()})),
                    (response, error) -> {
                        if (response != null) {
                            response.release();
                        }
                        writes.close();
                    });
            context.loop.schedule(writes::close, 2, java.util.concurrent.TimeUnit.SECONDS);
        } else {
            writes.close();
        }
        reads.close();
    }
}
