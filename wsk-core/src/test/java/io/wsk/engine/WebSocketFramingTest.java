package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wsk.protocol.EngineFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Our pre-made WebSocket frames must be byte for byte what Netty's own encoder writes. */
class WebSocketFramingTest {

    /** Lengths on each side of the 7-bit, 16-bit and 64-bit length forms and of the copy limit. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 124, 125, 126, 127, 8191, 8192, 8193, 65535, 65536, 200_000})
    void textFramesMatchNettysEncoder(int dataLength) {
        char[] data = new char[dataLength];
        Arrays.fill(data, 'x');
        EngineFrame frame = EngineFrame.message(new String(data), PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ours(frame)).isEqualTo(nettys(new TextWebSocketFrame(frame.bytes().retainedDuplicate())));
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 100_000})
    void binaryFramesMatchNettysEncoder(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31);
        }
        EngineFrame frame = EngineFrame.binaryMessage(Unpooled.wrappedBuffer(data));
        try {
            assertThat(ours(frame)).isEqualTo(nettys(new BinaryWebSocketFrame(frame.bytes().retainedDuplicate())));
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100_000})
    void theFramedBytesAreMadeOnceAndFreedWithTheFrame(int dataLength) {
        EngineFrame frame = EngineFrame.message("y".repeat(dataLength), PooledByteBufAllocator.DEFAULT);
        ByteBuf first = frame.framed(WebSocketFraming.INSTANCE);
        assertThat(frame.framed(WebSocketFraming.INSTANCE)).isSameAs(first);
        frame.release();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void constantFramesKeepTheirFramedBytesForever() {
        ByteBuf ping = EngineFrame.PING.framed(WebSocketFraming.INSTANCE);
        EngineFrame.PING.release();
        assertThat(ping.refCnt()).isPositive();
        assertThat(ByteBufUtil.getBytes(ping)).containsExactly(0x81, 1, '2');
    }

    private static byte[] ours(EngineFrame frame) {
        ByteBuf wire = frame.framed(WebSocketFraming.INSTANCE).retainedDuplicate();
        try {
            return ByteBufUtil.getBytes(wire);
        } finally {
            wire.release();
        }
    }

    private static byte[] nettys(WebSocketFrame frame) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        channel.writeOutbound(frame);
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        channel.finish();
        return ByteBufUtil.getBytes(all);
    }
}
