package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * Turns a WebSocket's bytes into whole messages: Netty's frame decoder, which also checks that
 * text is UTF-8 (close 1007 otherwise) and joins a fragmented message up to {@code maxPayload}
 * bytes (close 1009 beyond, where Netty's aggregator would drop the connection without a close
 * frame, so the client would see 1006 instead of the reason).
 *
 * <p>Why one handler rather than Netty's three (decoder, {@code Utf8FrameValidator},
 * {@code WebSocketFrameAggregator}): each handler costs every idle connection its context and its
 * own state, about 200 bytes for the two. Here the state of a fragmented message exists only while
 * one is arriving, and the checks run in the same order as the three handlers ran them.
 */
final class WebSocketMessageDecoder extends WebSocket13FrameDecoder implements ByteProcessor {

    /** Hoehrmann's UTF-8 DFA, as Netty's {@code Utf8Validator}: the byte classes. */
    private static final byte[] TYPES = {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
            10, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 11, 6, 6, 6, 5, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};

    /** The DFA's transitions: {@code STATES[state + type]}. */
    private static final byte[] STATES = {
            0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
            12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
            12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
            12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
            12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12};

    private static final int UTF8_ACCEPT = 0;
    private static final int UTF8_REJECT = 12;
    /** Netty's aggregator's default. */
    private static final int MAX_COMPONENTS = 1024;

    private final int maxPayload;
    private final boolean closeOnProtocolViolation;
    /**
     * Where the UTF-8 DFA stands: mid-character only between fragments of a text message. A byte
     * (the states are 0 to 96), so the decoder stays one allocation step (8 bytes) smaller.
     */
    private byte utf8State;
    /**
     * The fragmented message being joined, or {@code null}: while none is, or for the rest of an
     * oversized one (dropped, its close frame on its way).
     */
    private WebSocketFrame fragmented;
    /** Whether the latest message started is text (its fragments are checked as UTF-8). */
    private boolean text;

    WebSocketMessageDecoder(WebSocketDecoderConfig config) {
        super(config);
        this.maxPayload = config.maxFramePayloadLength();
        this.closeOnProtocolViolation = config.closeOnProtocolViolation();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int first = out.size();
        super.decode(ctx, in, out);
        for (int i = first; i < out.size(); ) {
            WebSocketFrame frame = (WebSocketFrame) out.get(i);
            WebSocketFrame message;
            try {
                message = message(ctx, frame);
            } catch (CorruptedWebSocketFrameException e) {
                out.remove(i);
                throw e;
            }
            if (message == null) {
                out.remove(i);
            } else {
                out.set(i, message);
                i++;
            }
        }
    }

    /**
     * What the frame means for the handlers after this one: itself, the whole message it ends, or
     * {@code null} (a fragment kept, or dropped). Takes ownership of {@code frame}.
     */
    private WebSocketFrame message(ChannelHandlerContext ctx, WebSocketFrame frame) {
        boolean control = !(frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame);
        if (control) {
            // Allowed between fragments (RFC 6455 5.4).
            return frame;
        }
        boolean start = !(frame instanceof ContinuationWebSocketFrame);
        if (start) {
            text = frame instanceof TextWebSocketFrame;
        }
        if (text) {
            checkUtf8(ctx, frame);
        }
        if (start && frame.isFinalFragment()) {
            return frame;
        }
        return join(ctx, frame, start);
    }

    private void checkUtf8(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ByteBuf content = frame.content();
        int from = content.readerIndex();
        if (utf8State == UTF8_ACCEPT) {
            // Socket.IO traffic is mostly ASCII (JSON with ASCII keys and values): skip it eight
            // bytes at a time, and run the state machine only from the first byte with the high
            // bit set. In pipelined echo the byte-wise check was 8.5 % of the server's time.
            from = asciiEnd(content, from, content.writerIndex());
        }
        if (from < content.writerIndex()) {
            content.forEachByte(from, content.writerIndex() - from, this);
        }
        if (utf8State == UTF8_REJECT || (frame.isFinalFragment() && utf8State != UTF8_ACCEPT)) {
            utf8State = UTF8_ACCEPT;
            frame.release();
            CorruptedWebSocketFrameException violation = new CorruptedWebSocketFrameException(
                    WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bytes are not UTF-8");
            if (closeOnProtocolViolation && ctx.channel().isOpen()) {
                ctx.writeAndFlush(new CloseWebSocketFrame(violation.closeStatus().code(), violation.getMessage()))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            throw violation;
        }
    }

    /** The index of the first non-ASCII byte in {@code [from, to)}, or {@code to}; in the UTF-8 start state ASCII changes nothing. */
    private static int asciiEnd(ByteBuf buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            if ((buf.getLong(i) & 0x8080808080808080L) != 0) {
                break;
            }
        }
        while (i < to && buf.getByte(i) >= 0) {
            i++;
        }
        return i;
    }

    @Override
    public boolean process(byte value) {
        utf8State = STATES[utf8State + TYPES[value & 0xff]];
        return utf8State != UTF8_REJECT;
    }

    /** A fragment of a message: kept, and the whole message once it is the last. */
    private WebSocketFrame join(ChannelHandlerContext ctx, WebSocketFrame frame, boolean start) {
        if (start) {
            CompositeByteBuf content = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
            fragmented = text
                    ? new TextWebSocketFrame(true, frame.rsv(), content)
                    : new BinaryWebSocketFrame(true, frame.rsv(), content);
            append(content, frame);
            return null;
        }
        if (fragmented == null) {
            // the rest of an oversized message (the frame decoder lets no other continuation through)
            frame.release();
            return null;
        }
        CompositeByteBuf content = (CompositeByteBuf) fragmented.content();
        if (content.readableBytes() > maxPayload - frame.content().readableBytes()) {
            WebSocketFrame oversized = fragmented;
            fragmented = null;
            frame.release();
            oversized.release();
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                    .addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        append(content, frame);
        if (!frame.isFinalFragment()) {
            return null;
        }
        WebSocketFrame whole = fragmented;
        fragmented = null;
        return whole;
    }

    private static void append(CompositeByteBuf content, WebSocketFrame frame) {
        if (frame.content().isReadable()) {
            content.addComponent(true, frame.content().retain());
        }
        frame.release();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (fragmented != null) {
            fragmented.release();
            fragmented = null;
        }
        super.handlerRemoved0(ctx);
    }
}
