package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.wsk.protocol.EngineFrame;

/**
 * A server-to-client WebSocket frame around an Engine.IO packet (RFC 6455 §5.2: FIN set, text or
 * binary opcode, no mask, 7-, 16- or 64-bit length), made once per {@link EngineFrame} so that a
 * broadcast writes one shared buffer to every recipient, as Node's adapter precomputes its frame.
 * Netty's {@code WebSocket08FrameEncoder} makes the same bytes but per write, with a header
 * allocation and a payload copy each; a pre-framed {@code ByteBuf} passes through it untouched.
 * {@code WebSocketFramingTest} checks the bytes against that encoder.
 */
final class WebSocketFraming implements EngineFrame.Framing {

    static final WebSocketFraming INSTANCE = new WebSocketFraming();

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int FIN = 0x80;
    /** Above this the payload is referenced, not copied, behind its header. */
    private static final int COPY_LIMIT = 8 * 1024;

    private WebSocketFraming() {
    }

    @Override
    public ByteBuf frame(EngineFrame frame) {
        ByteBuf payload = frame.bytes();
        int length = payload.readableBytes();
        ByteBufAllocator alloc = payload.alloc();
        int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf header = alloc.buffer(headerLength + (length <= COPY_LIMIT ? length : 0));
        header.writeByte(FIN | (frame.isBinary() ? OPCODE_BINARY : OPCODE_TEXT));
        if (length < 126) {
            header.writeByte(length);
        } else if (length <= 0xFFFF) {
            header.writeByte(126);
            header.writeShort(length);
        } else {
            header.writeByte(127);
            header.writeLong(length);
        }
        if (length <= COPY_LIMIT) {
            header.writeBytes(payload, payload.readerIndex(), length);
            return header;
        }
        CompositeByteBuf whole = alloc.compositeBuffer(2);
        whole.addComponents(true, header, payload.retainedDuplicate());
        return whole;
    }
}
