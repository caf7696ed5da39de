package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.wsk.protocol.SocketPacket.NO_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the encoder writes, the decoder reads back as the same packet. */
class SocketPacketRoundTripTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SocketPacketEncoder encoder = new SocketPacketEncoder(MAPPER);
    private final SocketPacketDecoder decoder = new SocketPacketDecoder(MAPPER, 10);

    static Stream<SocketPacket> packets() {
        List<SocketPacket> packets = new ArrayList<>();
        for (String nsp : List.of("/", "/admin", "/ünï-код", "/a/b")) {
            for (long id : new long[] {NO_ID, 0, 42, 9007199254740993L}) {
                for (JsonNode data : payloads()) {
                    for (SocketPacketType type : SocketPacketType.values()) {
                        if (type == type.plain() && fits(type, data)) {
                            packets.add(new SocketPacket(type, nsp, id, data));
                        }
                    }
                }
            }
        }
        return packets.stream();
    }

    private static List<JsonNode> payloads() {
        ObjectNode object = NODES.objectNode().put("token", "abc").put("n", 1.25);
        object.putArray("list").add(true).addNull().addObject().put("deep", "ö");
        ArrayNode event = NODES.arrayNode().add("message").add(1).add("2").add(object.deepCopy());
        ArrayNode numbered = NODES.arrayNode().add(7).add("x");
        ArrayNode binary = NODES.arrayNode().add("upload").add(new byte[] {1, 2, 3});
        binary.addObject().put("inner", new byte[] {4}).putArray("more").add(new byte[0]).add(new byte[] {5, 6});
        ArrayNode ackBinary = NODES.arrayNode().add(new byte[] {(byte) 0xff, 0}).add("after");
        return List.of(object, event, numbered, binary, ackBinary, NODES.arrayNode(), TextNode.valueOf("old error"));
    }

    /** Whether {@code data}, or no data when {@code data} is null, is a valid payload for {@code type}. */
    private static boolean fits(SocketPacketType type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case EVENT -> data != null && data.isArray() && !data.isEmpty()
                    && (data.get(0).isTextual() || data.get(0).isNumber());
            case ACK -> data != null && data.isArray();
            case CONNECT_ERROR -> data != null && (data.isObject() || data.isTextual());
            default -> false;
        };
    }

    @ParameterizedTest
    @MethodSource("packets")
    void decodesWhatItEncodes(SocketPacket packet) throws Exception {
        assertThat(roundTrip(packet)).isEqualTo(packet);
    }

    @Test
    void coversPacketsWithoutData() throws Exception {
        for (String nsp : List.of("/", "/admin")) {
            for (long id : new long[] {NO_ID, 3}) {
                SocketPacket connect = new SocketPacket(SocketPacketType.CONNECT, nsp, id, null);
                SocketPacket disconnect = new SocketPacket(SocketPacketType.DISCONNECT, nsp, id, null);
                assertThat(roundTrip(connect)).isEqualTo(connect);
                assertThat(roundTrip(disconnect)).isEqualTo(disconnect);
            }
        }
    }

    @Test
    void carriesPlainJavaValuesToTheSameTree() throws Exception {
        record Photo(String title, byte[] jpeg) {
        }
        EncodedPacket encoded = encoder.encode(SocketPacketType.EVENT, "/p", 1,
                List.of("photo", new Photo("sunset", new byte[] {1, 2}), 3), PooledByteBufAllocator.DEFAULT);
        SocketPacket decoded = decode(encoded);

        ArrayNode expected = NODES.arrayNode().add("photo");
        expected.addObject().put("title", "sunset").put("jpeg", new byte[] {1, 2});
        expected.add(3);
        assertThat(decoded).isEqualTo(new SocketPacket(SocketPacketType.EVENT, "/p", 1, expected));
    }

    @Test
    void reencodesADecodedEchoWithoutMultiplyingAttachments() throws Exception {
        // a peer names one attachment many times; echoing the tree must not send it many times
        String ph = "{\"_placeholder\":true,\"num\":0}";
        ByteBuf header = Wire.utf8("51-[\"echo\"" + ("," + ph).repeat(50) + "]");
        assertThat(decoder.decodeText(header)).isNull();
        header.release();
        SocketPacket echo = decoder.decodeBinary(Wire.bytes(new int[1000]));

        EncodedPacket encoded = encoder.encode(echo, PooledByteBufAllocator.DEFAULT);
        assertThat(encoded.attachmentCount()).isEqualTo(1);
        assertThat(decode(encoded)).isEqualTo(echo);
    }

    private SocketPacket roundTrip(SocketPacket packet) throws PacketParseException {
        return decode(encoder.encode(packet, PooledByteBufAllocator.DEFAULT));
    }

    /** Feeds the frames to the decoder as a connection would receive them; releases them. */
    private SocketPacket decode(EncodedPacket encoded) throws PacketParseException {
        try {
            ByteBuf text = encoded.text().bytes().duplicate();
            assertThat(text.readByte()).isEqualTo(EnginePacketType.MESSAGE.digit());
            SocketPacket packet = decoder.decodeText(text);
            for (int i = 1; i < encoded.frames().size(); i++) {
                assertThat(packet).isNull();
                packet = decoder.decodeBinary(encoded.frames().get(i).bytes().duplicate());
            }
            assertThat(decoder.awaitingAttachments()).isFalse();
            return packet;
        } finally {
            encoded.release();
        }
    }
}
