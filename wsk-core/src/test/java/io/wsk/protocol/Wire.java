package io.wsk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Conversions between test strings and the frames and buffers the codec works on. */
final class Wire {

    private Wire() {
    }

    /** A heap buffer holding {@code text} in UTF-8. */
    static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    static ByteBuf bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return Unpooled.wrappedBuffer(bytes);
    }

    /** What a WebSocket text frame of this packet carries, decoded. */
    static String text(EngineFrame frame) {
        return frame.bytes().toString(StandardCharsets.UTF_8);
    }

    static String text(EncodedPacket packet) {
        return text(packet.text());
    }

    static byte[] bytes(EngineFrame frame) {
        return ByteBufUtil.getBytes(frame.bytes());
    }

    /** The attachment frames' bytes, in order. */
    static List<byte[]> attachments(EncodedPacket packet) {
        return packet.frames().subList(1, packet.frames().size()).stream().map(Wire::bytes).toList();
    }
}
