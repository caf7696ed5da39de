package io.wsk.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/**
 * Where inbound bytes sit, a benchmark parameter. Netty reads sockets into direct buffers from its
 * pooled allocator, so {@code DIRECT} is what the server sees; {@code HEAP} shows what array-backed
 * input would cost instead. (Public: JMH's generated code sets it.)
 */
public enum Memory {
    DIRECT, HEAP;

    /** An unpooled buffer of this kind holding {@code bytes}. */
    ByteBuf copyOf(byte[] bytes) {
        ByteBuf buf = this == HEAP ? Unpooled.buffer(bytes.length) : Unpooled.directBuffer(bytes.length);
        return buf.writeBytes(bytes);
    }

    ByteBuf copyOf(String text) {
        return copyOf(text.getBytes(StandardCharsets.UTF_8));
    }
}
