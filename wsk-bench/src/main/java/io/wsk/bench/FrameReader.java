package io.wsk.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Reads the server's WebSocket frames straight out of the received bytes and hands each text
 * payload to {@link Sink} as a slice, with no frame object per message. It replaces Netty's frame
 * decoder once the handshake is done: in a fan-out run the generator reads every delivery the
 * server makes, so its cost per frame bounds what can be measured on one core.
 *
 * <p>Servers send unmasked, unfragmented frames (RFC 6455 §5.1); anything else is a broken server
 * and fails the connection. Binary frames and WebSocket pings are skipped (Engine.IO pings are
 * text).
 */
final class FrameReader extends ByteToMessageDecoder {

    /** Gets each text payload; the slice is valid only during the call. */
    interface Sink {
        void text(ChannelHandlerContext ctx, ByteBuf payload);

        /** Everything one read brought was handed over: the moment to flush replies written meanwhile. */
        void readComplete(ChannelHandlerContext ctx);
    }

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_CLOSE = 0x8;

    private final Sink sink;

    FrameReader(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        sink.readComplete(ctx);
        super.channelReadComplete(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            int second = in.getUnsignedByte(start + 1);
            if ((first & 0x80) == 0 || (second & 0x80) != 0) {
                throw new CorruptedFrameException("fragmented or masked frame from the server");
            }
            int lengthCode = second & 0x7F;
            int headerLength = lengthCode < 126 ? 2 : lengthCode == 126 ? 4 : 10;
            if (in.readableBytes() < headerLength) {
                return;
            }
            long length = lengthCode < 126 ? lengthCode
                    : lengthCode == 126 ? in.getUnsignedShort(start + 2) : in.getLong(start + 2);
            if (length > Integer.MAX_VALUE - headerLength) {
                throw new CorruptedFrameException("frame of " + length + " bytes");
            }
            if (in.readableBytes() < headerLength + length) {
                return;
            }
            int opcode = first & 0x0F;
            if (opcode == OPCODE_TEXT) {
                sink.text(ctx, in.slice(start + headerLength, (int) length));
            } else if (opcode == OPCODE_CLOSE) {
                ctx.close();
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(start + headerLength + (int) length);
        }
    }
}
