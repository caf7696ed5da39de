package io.wsk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Decodes inbound Engine.IO packets: one per WebSocket frame, or many in a polling body separated
 * by the record separator {@code 0x1E}, where binary messages travel as {@code b<base64>}.
 */
public final class EnginePacketDecoder {

    /** The record separator between packets of a polling payload. */
    public static final byte RECORD_SEPARATOR = 0x1e;

    private EnginePacketDecoder() {
    }

    /** Decodes the text packet in a WebSocket text frame. */
    public static void decodeText(ByteBuf frame, InboundPacketHandler handler) throws PacketParseException {
        decodeTextRecord(frame, frame.readerIndex(), frame.readableBytes(), handler);
    }

    /**
     * Decodes every packet of a polling request body, in order. Packets before a malformed one
     * have been delivered when the exception is thrown, as the reference server does.
     */
    public static void decodePayload(ByteBuf body, InboundPacketHandler handler) throws PacketParseException {
        int start = body.readerIndex();
        int end = body.writerIndex();
        while (true) {
            int separator = body.indexOf(start, end, RECORD_SEPARATOR);
            int recordEnd = separator < 0 ? end : separator;
            decodeRecord(body, start, recordEnd - start, handler);
            if (separator < 0) {
                return;
            }
            start = separator + 1;
        }
    }

    private static void decodeRecord(ByteBuf body, int index, int length, InboundPacketHandler handler)
            throws PacketParseException {
        if (length > 0 && body.getByte(index) == 'b') {
            ByteBuf decoded = decodeBase64(body, index + 1, length - 1);
            try {
                handler.onPacket(EnginePacketType.MESSAGE, decoded, true);
            } finally {
                decoded.release();
            }
            return;
        }
        decodeTextRecord(body, index, length, handler);
    }

    private static void decodeTextRecord(ByteBuf buf, int index, int length, InboundPacketHandler handler)
            throws PacketParseException {
        if (length == 0) {
            throw new PacketParseException("empty packet");
        }
        EnginePacketType type = EnginePacketType.fromDigit(buf.getByte(index));
        if (type == null) {
            throw new PacketParseException("unknown packet type");
        }
        handler.onPacket(type, buf.slice(index + 1, length - 1), false);
    }

    private static ByteBuf decodeBase64(ByteBuf buf, int index, int length) throws PacketParseException {
        try {
            return Unpooled.wrappedBuffer(Base64.getDecoder().decode(withoutLineBreaks(buf, index, length)));
        } catch (IllegalArgumentException e) {
            throw new PacketParseException("invalid base64 in binary packet");
        }
    }

    /**
     * The base64 text with its line breaks left out. The official Java client (engine.io-client-java
     * 2.x) encodes binary packets in Android's default style, wrapped every 76 characters and ending
     * with a newline; the reference server's decoding (Node's) skips them. Any other character
     * outside the alphabet is still refused.
     */
    private static ByteBuffer withoutLineBreaks(ByteBuf buf, int index, int length) {
        if (buf.forEachByte(index, length, b -> b != '\n' && b != '\r') < 0) {
            return buf.nioBuffer(index, length);
        }
        byte[] text = new byte[length];
        int size = 0;
        for (int i = index; i < index + length; i++) {
            byte b = buf.getByte(i);
            if (b != '\n' && b != '\r') {
                text[size++] = b;
            }
        }
        return ByteBuffer.wrap(text, 0, size);
    }
}
