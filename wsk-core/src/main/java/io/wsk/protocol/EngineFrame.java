package io.wsk.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One outbound Engine.IO packet, encoded once and shareable by any number of sessions.
 *
 * <p>{@link #bytes()} is exactly what a WebSocket frame carries: for a text packet the type digit
 * followed by the UTF-8 data ({@code 4hello}), for a binary message the raw bytes. Polling derives
 * its framing from the same bytes (see {@link PollingPayload}), so a broadcast is encoded once
 * whatever transports its recipients use.
 *
 * <p>A transport that wraps the bytes in framing of its own (the WebSocket header) makes that
 * once per frame through {@link #framed}, so a broadcast's recipients share one buffer with the
 * complete wire bytes rather than framing a copy each.
 *
 * <p>Reference counted: whoever creates a frame releases it once it has handed it to every
 * session; a session retains what it keeps beyond the call.
 */
public final class EngineFrame extends AbstractReferenceCounted {

    /** Frames the server sends often and that never change: shared, never freed. */
    public static final EngineFrame PING = constant(EnginePacketType.PING, "");
    public static final EngineFrame NOOP = constant(EnginePacketType.NOOP, "");
    public static final EngineFrame CLOSE = constant(EnginePacketType.CLOSE, "");
    public static final EngineFrame PONG_PROBE = constant(EnginePacketType.PONG, "probe");

    private final EnginePacketType type;
    private final boolean binary;
    private final ByteBuf bytes;
    /** A constant frame ignores retain and release. */
    private final boolean permanent;
    /** The bytes with a transport's framing, made on first use by any thread; see {@link #framed}. */
    private volatile ByteBuf framed;
    private static final AtomicReferenceFieldUpdater<EngineFrame, ByteBuf> FRAMED =
            AtomicReferenceFieldUpdater.newUpdater(EngineFrame.class, ByteBuf.class, "framed");

    /** Wraps a frame's bytes in a transport's own framing. */
    public interface Framing {
        /** A new buffer (the caller owns it) with the whole framed packet. */
        ByteBuf frame(EngineFrame frame);
    }

    private EngineFrame(EnginePacketType type, boolean binary, ByteBuf bytes) {
        this(type, binary, bytes, false);
    }

    private EngineFrame(EnginePacketType type, boolean binary, ByteBuf bytes, boolean permanent) {
        this.type = type;
        this.binary = binary;
        this.bytes = bytes;
        this.permanent = permanent;
    }

    /** A text packet of any type: the type digit, then {@code data} in UTF-8. */
    public static EngineFrame text(EnginePacketType type, CharSequence data, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(1 + ByteBufUtil.utf8MaxBytes(data));
        buf.writeByte(type.digit());
        ByteBufUtil.writeUtf8(buf, data);
        return new EngineFrame(type, false, buf);
    }

    /** A text message packet ({@code 4<data>}). */
    public static EngineFrame message(CharSequence data, ByteBufAllocator alloc) {
        return text(EnginePacketType.MESSAGE, data, alloc);
    }

    /**
     * A text message packet from bytes that already hold the type digit {@code 4} and UTF-8 data.
     * Takes ownership of {@code encoded}.
     */
    public static EngineFrame encodedMessage(ByteBuf encoded) {
        return new EngineFrame(EnginePacketType.MESSAGE, false, encoded);
    }

    /** A binary message packet carrying {@code data} as is. Takes ownership of {@code data}. */
    public static EngineFrame binaryMessage(ByteBuf data) {
        return new EngineFrame(EnginePacketType.MESSAGE, true, data);
    }

    private static EngineFrame constant(EnginePacketType type, String data) {
        byte[] text = (((char) type.digit()) + data).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text).asReadOnly());
        return new EngineFrame(type, false, buf, true);
    }

    public EnginePacketType type() {
        return type;
    }

    /** True for a binary message, whose bytes carry no type digit. */
    public boolean isBinary() {
        return binary;
    }

    /** The encoded bytes; callers must not change their indexes (use {@code duplicate()}). */
    public ByteBuf bytes() {
        return bytes;
    }

    /**
     * The frame's bytes as {@code framing} puts them on the wire, made once and shared: callers
     * take a {@code retainedDuplicate()}. One frame is only ever framed one way (the WebSocket
     * transport is the only framing transport). Any thread, while the caller holds a reference.
     */
    public ByteBuf framed(Framing framing) {
        ByteBuf result = framed;
        if (result == null) {
            ByteBuf made = framing.frame(this);
            if (!FRAMED.compareAndSet(this, null, made)) {
                made.release(); // another thread framed it first
            }
            result = framed;
        }
        return result;
    }

    @Override
    public EngineFrame retain() {
        if (!permanent) {
            super.retain();
        }
        return this;
    }

    @Override
    public EngineFrame retain(int increment) {
        if (!permanent) {
            super.retain(increment);
        }
        return this;
    }

    @Override
    public boolean release() {
        return !permanent && super.release();
    }

    @Override
    public boolean release(int decrement) {
        return !permanent && super.release(decrement);
    }

    @Override
    public EngineFrame touch(Object hint) {
        bytes.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        bytes.release();
        ByteBuf wire = framed;
        if (wire != null) {
            wire.release();
        }
    }

    @Override
    public String toString() {
        return binary
                ? "EngineFrame[binary, " + bytes.readableBytes() + " bytes]"
                : "EngineFrame[" + bytes.toString(StandardCharsets.UTF_8) + "]";
    }
}
