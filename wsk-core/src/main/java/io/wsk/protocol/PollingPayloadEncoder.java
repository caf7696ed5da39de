package io.wsk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Base64;
import java.util.Collection;

/**
 * Encodes the packets of one polling response: frames joined by {@code 0x1E}, binary messages as
 * {@code b} followed by the base64 of their bytes (the only binary form Engine.IO v4 polling has).
 */
public final class PollingPayloadEncoder {

    private PollingPayloadEncoder() {
    }

    public static ByteBuf encode(Collection<EngineFrame> frames, ByteBufAllocator alloc) {
        int size = 0;
        for (EngineFrame frame : frames) {
            size += encodedLength(frame) + 1;
        }
        ByteBuf out = alloc.buffer(size);
        boolean first = true;
        for (EngineFrame frame : frames) {
            if (!first) {
                out.writeByte(EnginePacketDecoder.RECORD_SEPARATOR);
            }
            first = false;
            write(frame, out);
        }
        return out;
    }

    /** The bytes {@code frame} takes in a payload, separator aside. */
    public static int encodedLength(EngineFrame frame) {
        int length = frame.bytes().readableBytes();
        return frame.isBinary() ? 1 + 4 * ((length + 2) / 3) : length;
    }

    private static void write(EngineFrame frame, ByteBuf out) {
        ByteBuf bytes = frame.bytes();
        if (!frame.isBinary()) {
            out.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
            return;
        }
        out.writeByte('b');
        out.writeBytes(Base64.getEncoder().encode(bytes.nioBuffer()));
    }
}
