package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's WebSocket decoder: frames as Netty decodes them, text checked as UTF-8 across
 * fragments, fragments joined up to the payload limit; and what it writes back when it refuses.
 */
class WebSocketMessageDecoderTest {

    private static final int MAX_PAYLOAD = 100;

    private final EmbeddedChannel channel = new EmbeddedChannel(SharedWebSocketEncoder.INSTANCE,
            new WebSocketMessageDecoder(WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(MAX_PAYLOAD)
                    .allowMaskMismatch(false)
                    .allowExtensions(false)
                    .closeOnProtocolViolation(true)
                    .build()));

    /** Client frames (masked) as bytes. */
    private static ByteBuf wire(WebSocketFrame... frames) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        for (WebSocketFrame frame : frames) {
            client.writeOutbound(frame);
        }
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = client.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer();
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    /** The close frame the server wrote, decoded as a client would. */
    private CloseWebSocketFrame closeWritten() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a close frame written").isNotNull();
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1000, false));
        client.writeInbound(out);
        return client.readInbound();
    }

    @Test
    void aWholeTextFrameIsTheMessage() {
        channel.writeInbound(wire(new TextWebSocketFrame("4hello \u00e9\u65e5")));

        TextWebSocketFrame message = channel.readInbound();
        assertThat(message.text()).isEqualTo("4hello \u00e9\u65e5");
        message.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void fragmentsAreJoinedAndControlFramesBetweenThemPassFirst() {
        // "4é日" split inside both multi-byte characters
        byte[] utf8 = "4\u00e9\u65e5".getBytes(StandardCharsets.UTF_8);
        channel.writeInbound(wire(
                new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(utf8, 0, 2)),
                new PingWebSocketFrame(bytes("p")),
                new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(utf8, 2, 2)),
                new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(utf8, 4, utf8.length - 4))));

        PingWebSocketFrame ping = channel.readInbound();
        assertThat(ping).isNotNull();
        ping.release();
        TextWebSocketFrame message = channel.readInbound();
        assertThat(message.isFinalFragment()).isTrue();
        assertThat(message.text()).isEqualTo("4\u00e9\u65e5");
        message.release();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void binaryFragmentsAreJoinedAndNeverCheckedAsText() {
        channel.writeInbound(wire(
                new BinaryWebSocketFrame(false, 0, bytes(0xff, 0xc3)),
                new ContinuationWebSocketFrame(true, 0, bytes(0x28))));

        BinaryWebSocketFrame message = channel.readInbound();
        assertThat(message.content().readableBytes()).isEqualTo(3);
        assertThat(message.content().getUnsignedByte(0)).isEqualTo((short) 0xff);
        message.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void invalidUtf8InAFragmentClosesWith1007AtOnce() {
        assertThatThrownBy(() -> channel.writeInbound(wire(
                new TextWebSocketFrame(false, 0, bytes("4a")),
                new ContinuationWebSocketFrame(false, 0, bytes(0xc3, 0x28)))))
                .isInstanceOf(CorruptedWebSocketFrameException.class);

        CloseWebSocketFrame close = closeWritten();
        assertThat(close.statusCode()).isEqualTo(1007);
        assertThat(close.reasonText()).isEqualTo("bytes are not UTF-8");
        close.release();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void invalidBytesAfterAnAsciiRunAreFoundAtAnyOffset() {
        // The check skips ASCII eight bytes at a time: a bad byte in each position of the word,
        // and in the tail shorter than a word, must still be found.
        for (int prefix = 0; prefix <= 17; prefix++) {
            EmbeddedChannel fresh = new EmbeddedChannel(SharedWebSocketEncoder.INSTANCE, new WebSocketMessageDecoder(
                    WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_PAYLOAD).closeOnProtocolViolation(true).build()));
            ByteBuf payload = bytes("4" + "x".repeat(prefix)).writeBytes(bytes(0xc3, 0x28)).writeBytes(bytes("tail"));
            int at = prefix;
            assertThatThrownBy(() -> fresh.writeInbound(wire(new TextWebSocketFrame(payload))))
                    .as("bad byte after %d ASCII bytes", at)
                    .isInstanceOf(CorruptedWebSocketFrameException.class);
            assertThat(fresh.isOpen()).isFalse();
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsAfterAsciiIsAccepted() {
        // "é" (c3 a9) split between fragments: the second fragment starts mid-character, so its
        // first byte is not ASCII-skipped, and the ASCII after it is fine again.
        channel.writeInbound(wire(
                new TextWebSocketFrame(false, 0, bytes("4" + "y".repeat(12)).writeBytes(bytes(0xc3))),
                new ContinuationWebSocketFrame(true, 0, bytes(0xa9).writeBytes(bytes("z".repeat(20))))));

        TextWebSocketFrame message = channel.readInbound();
        assertThat(message.text()).isEqualTo("4" + "y".repeat(12) + "\u00e9" + "z".repeat(20));
        message.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aLoneContinuationByteAfterAsciiIsRefused() {
        assertThatThrownBy(() -> channel.writeInbound(wire(new TextWebSocketFrame(
                bytes("4" + "k".repeat(23)).writeBytes(bytes(0xa9))))))
                .isInstanceOf(CorruptedWebSocketFrameException.class);
        assertThat(closeWritten().statusCode()).isEqualTo(1007);
    }

    @Test
    void aTextMessageEndingInsideACharacterClosesWith1007() {
        assertThatThrownBy(() -> channel.writeInbound(wire(
                new TextWebSocketFrame(false, 0, bytes("4a")),
                new ContinuationWebSocketFrame(true, 0, bytes(0xe6, 0x97)))))
                .isInstanceOf(CorruptedWebSocketFrameException.class);

        assertThat(closeWritten().statusCode()).isEqualTo(1007);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void fragmentsTogetherOverTheLimitCloseWith1009AndTheRestIsDropped() {
        channel.writeInbound(wire(
                new TextWebSocketFrame(false, 0, bytes("4" + "a".repeat(59))),
                new ContinuationWebSocketFrame(false, 0, bytes("b".repeat(60))),
                new ContinuationWebSocketFrame(true, 0, bytes("c"))));

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(closeWritten().statusCode()).isEqualTo(1009);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aMessageUnderwayIsReleasedWhenTheConnectionGoes() {
        UnpooledByteBufAllocator counting = new UnpooledByteBufAllocator(false);
        channel.config().setAllocator(counting);
        channel.writeInbound(wire(new TextWebSocketFrame(false, 0, bytes("4a"))));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(counting.metric().usedHeapMemory()).as("the fragment, kept").isPositive();

        channel.finishAndReleaseAll();

        assertThat(counting.metric().usedHeapMemory()).as("released with the handler").isZero();
    }
}
