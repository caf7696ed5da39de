package io.wsk.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.PollingPayloadEncoder;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketEncoder;
import io.wsk.protocol.SocketPacketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls each benchmark method once, directly (not through JMH), and checks what it produced, so a
 * benchmark cannot quietly measure a broken path: a decode that fails early, an encode that
 * writes nothing. Also checks the payloads are what the benchmarks claim.
 */
class BenchmarksTest {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The size of a server-to-client WebSocket text frame around {@code text}: 2-byte header below 126 bytes. */
    private static int webSocketFrame(String text) {
        int length = utf8(text);
        assertThat(length).isLessThan(126);
        return 2 + length;
    }

    @Test
    void payloadsAreAsDescribed() {
        assertThat(Payloads.CHAT_MESSAGE).hasSize(100);
        assertThat(Payloads.CHAT).isEqualTo("2[\"m\",\"" + Payloads.CHAT_MESSAGE + "\"]");
        assertThat(Payloads.chatPacket().data().get(1).textValue()).isEqualTo(Payloads.CHAT_MESSAGE);
        assertThat(Payloads.orderPacket().data().get(1).size()).isEqualTo(10);
        assertThat(Payloads.ATTACHMENT).hasSize(1024);
        assertThat(Payloads.pollingPayload().split("\u001e")).hasSize(Payloads.POLLING_PACKETS);
    }

    @Test
    void socketEncodeWritesTheWireText() {
        SocketEncode bench = new SocketEncode();
        bench.setup();
        assertThat(bench.chat()).isEqualTo(utf8(Payloads.frame(Payloads.CHAT)));
        assertThat(bench.order()).isEqualTo(utf8(Payloads.frame(Payloads.ORDER)));
        assertThat(bench.binary()).isEqualTo(utf8(Payloads.frame(Payloads.BINARY_HEADER)) + 1024);

        // what the benchmark encodes is byte for byte what the decode benchmarks read
        SocketPacketEncoder encoder = new SocketPacketEncoder(Payloads.MAPPER);
        assertThat(encodedText(encoder, Payloads.chatPacket())).isEqualTo(Payloads.frame(Payloads.CHAT));
        assertThat(encodedText(encoder, Payloads.orderPacket())).isEqualTo(Payloads.frame(Payloads.ORDER));
        assertThat(encodedText(encoder, Payloads.binaryPacket())).isEqualTo(Payloads.frame(Payloads.BINARY_HEADER));
    }

    private static String encodedText(SocketPacketEncoder encoder, SocketPacket packet) {
        EncodedPacket encoded = encoder.encode(packet, ByteBufAllocator.DEFAULT);
        try {
            return encoded.text().bytes().toString(StandardCharsets.UTF_8);
        } finally {
            encoded.release();
        }
    }

    @Test
    void broadcastHandsTheChatToEveryRecipient() {
        Broadcast bench = new Broadcast();
        bench.recipients = 100;
        bench.setup();
        int expected = 100 * webSocketFrame(Payloads.frame(Payloads.CHAT));
        assertThat(bench.encodeOnce(BH)).isEqualTo(expected);
        assertThat(bench.encodeEach(BH)).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void socketDecodeBuildsTheEvents(Memory memory) throws Exception {
        SocketDecode bench = new SocketDecode();
        bench.memory = memory;
        bench.setup();
        try {
            for (int i = 0; i < 2; i++) { // twice: the inputs are left as they were
                SocketPacket chat = bench.chat();
                assertThat(chat.type()).isEqualTo(SocketPacketType.EVENT);
                assertThat(chat.nsp()).isEqualTo("/");
                assertThat(chat.hasId()).isFalse();
                assertThat(chat.data().get(0).textValue()).isEqualTo("m");
                assertThat(chat.data().get(1).textValue()).isEqualTo(Payloads.CHAT_MESSAGE);

                SocketPacket order = bench.order();
                assertThat(order.id()).isEqualTo(1042);
                assertThat(order.data().get(0).textValue()).isEqualTo("order:update");
                JsonNode fields = order.data().get(1);
                assertThat(fields.size()).isEqualTo(10);
                assertThat(fields.get("total").doubleValue()).isEqualTo(129.95);
                assertThat(fields.get("createdAt").longValue()).isEqualTo(1718035200000L);
                assertThat(fields.get("note").isNull()).isTrue();

                SocketPacket binary = bench.binary();
                assertThat(binary.type()).isEqualTo(SocketPacketType.EVENT);
                assertThat(binary.data().get(0).textValue()).isEqualTo("file");
                assertThat(binary.data().get(2).isBinary()).isTrue();
                assertThat(binary.data().get(2).binaryValue()).isEqualTo(Payloads.ATTACHMENT);
            }
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void engineDecodeHandsOnEveryPacket(Memory memory) throws Exception {
        EngineDecode bench = new EngineDecode();
        bench.memory = memory;
        bench.setup();
        try {
            int chats = 0;
            for (int i = 0; i < Payloads.POLLING_PACKETS; i++) {
                chats += utf8(Payloads.chat(i));
            }
            for (int i = 0; i < 2; i++) {
                assertThat(bench.webSocketFrame(BH)).isEqualTo(utf8(Payloads.CHAT));
                assertThat(bench.pollingPayload(BH)).isEqualTo(chats);
                assertThat(bench.pollingPayloadBinary(BH)).isEqualTo(utf8(Payloads.BINARY_HEADER) + 1024);
            }
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void engineEncodeWritesTheWireText() {
        EngineEncode bench = new EngineEncode();
        bench.setup();
        try {
            assertThat(bench.messageFrame()).isEqualTo(utf8(Payloads.frame(Payloads.CHAT)));
            assertThat(bench.webSocketFrame()).isEqualTo(webSocketFrame(Payloads.frame(Payloads.CHAT)));
            assertThat(bench.pollingPayload()).isEqualTo(utf8(Payloads.pollingPayload()));
            assertThat(bench.pollingPayloadBinary()).isEqualTo(utf8(Payloads.pollingBinaryPayload()));
        } finally {
            bench.tearDown();
        }

        // the polling payloads are byte for byte what the decode benchmarks read
        SocketPacketEncoder encoder = new SocketPacketEncoder(Payloads.MAPPER);
        List<EncodedPacket> packets = new ArrayList<>();
        List<EngineFrame> frames = new ArrayList<>();
        for (int i = 0; i < Payloads.POLLING_PACKETS; i++) {
            EncodedPacket packet = encoder.encode(Payloads.chatPacket(i), ByteBufAllocator.DEFAULT);
            packets.add(packet);
            frames.addAll(packet.frames());
        }
        EncodedPacket binary = encoder.encode(Payloads.binaryPacket(), ByteBufAllocator.DEFAULT);
        packets.add(binary);
        try {
            assertThat(pollingText(frames)).isEqualTo(Payloads.pollingPayload());
            assertThat(pollingText(binary.frames())).isEqualTo(Payloads.pollingBinaryPayload());
        } finally {
            packets.forEach(EncodedPacket::release);
        }
    }

    @Test
    void webSocketFramingIsTheServersOwn() {
        EngineFrame frame = EngineFrame.message(Payloads.CHAT, ByteBufAllocator.DEFAULT);
        try {
            ByteBuf wire = frame.framed(WebSocketWire.FRAMING);
            byte[] payload = Payloads.frame(Payloads.CHAT).getBytes(StandardCharsets.UTF_8);
            assertThat(wire.getUnsignedByte(0)).isEqualTo((short) 0x81); // FIN, text
            assertThat(wire.getUnsignedByte(1)).isEqualTo((short) payload.length); // unmasked, 7-bit length
            assertThat(ByteBufUtil.getBytes(wire, 2, wire.readableBytes() - 2)).isEqualTo(payload);
        } finally {
            frame.release();
        }
    }

    private static String pollingText(List<EngineFrame> frames) {
        ByteBuf payload = PollingPayloadEncoder.encode(frames, ByteBufAllocator.DEFAULT);
        try {
            return payload.toString(StandardCharsets.UTF_8);
        } finally {
            payload.release();
        }
    }
}
