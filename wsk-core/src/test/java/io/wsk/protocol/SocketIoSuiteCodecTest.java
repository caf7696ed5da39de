package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.wsk.protocol.SocketPacket.NO_ID;
import static io.wsk.protocol.SocketPacketType.ACK;
import static io.wsk.protocol.SocketPacketType.CONNECT;
import static io.wsk.protocol.SocketPacketType.CONNECT_ERROR;
import static io.wsk.protocol.SocketPacketType.DISCONNECT;
import static io.wsk.protocol.SocketPacketType.EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Socket.IO packets of the official v5 test suite (cases S17 to S32 of
 * official-suites/CASES.md), at codec level: what the suite's client sends decodes to the packet
 * the server must see, and the server's replies encode to exactly the text the suite expects.
 */
class SocketIoSuiteCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String PH0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PH1 = "{\"_placeholder\":true,\"num\":1}";

    private final SocketPacketDecoder decoder = new SocketPacketDecoder(MAPPER, 10);
    private final SocketPacketEncoder encoder = new SocketPacketEncoder(MAPPER);

    /** Decodes the data of a WebSocket text frame the client sent, such as {@code 40}. */
    private SocketPacket received(String frame) throws PacketParseException {
        assertThat(frame).startsWith("4");
        ByteBuf buf = Wire.utf8(frame.substring(1));
        try {
            return decoder.decodeText(buf);
        } finally {
            buf.release();
        }
    }

    private SocketPacket receivedBinary(int... bytes) throws PacketParseException {
        return decoder.decodeBinary(Wire.bytes(bytes));
    }

    private List<String> sent(SocketPacketType type, String nsp, long id, Object data) {
        EncodedPacket encoded = encoder.encode(type, nsp, id, data, UnpooledByteBufAllocator.DEFAULT);
        try {
            return encoded.frames().stream()
                    .map(frame -> frame.isBinary() ? hex(Wire.bytes(frame)) : Wire.text(frame))
                    .toList();
        } finally {
            encoded.release();
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder("bin:");
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void s17ConnectToTheMainNamespace() throws Exception {
        assertThat(received("40")).isEqualTo(new SocketPacket(CONNECT, "/", NO_ID, null));
        assertThat(sent(CONNECT, "/", NO_ID, Map.of("sid", "wZX3oN0bSVIhsaknAAAI")))
                .containsExactly("40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}");
        assertThat(sent(EVENT, "/", NO_ID, List.of("auth", Map.of()))).containsExactly("42[\"auth\",{}]");
    }

    @Test
    void s18ConnectToTheMainNamespaceWithAPayload() throws Exception {
        SocketPacket connect = received("40{\"token\":\"123\"}");
        assertThat(connect).isEqualTo(new SocketPacket(CONNECT, "/", NO_ID, json("{\"token\":\"123\"}")));
        assertThat(sent(EVENT, "/", NO_ID, List.of("auth", connect.data())))
                .containsExactly("42[\"auth\",{\"token\":\"123\"}]");
    }

    @Test
    void s19ConnectToACustomNamespace() throws Exception {
        assertThat(received("40/custom,")).isEqualTo(new SocketPacket(CONNECT, "/custom", NO_ID, null));
        assertThat(sent(CONNECT, "/custom", NO_ID, Map.of("sid", "x"))).containsExactly("40/custom,{\"sid\":\"x\"}");
        assertThat(sent(EVENT, "/custom", NO_ID, List.of("auth", Map.of()))).containsExactly("42/custom,[\"auth\",{}]");
    }

    @Test
    void s20ConnectToACustomNamespaceWithAPayload() throws Exception {
        SocketPacket connect = received("40/custom,{\"token\":\"abc\"}");
        assertThat(connect).isEqualTo(new SocketPacket(CONNECT, "/custom", NO_ID, json("{\"token\":\"abc\"}")));
        assertThat(sent(EVENT, "/custom", NO_ID, List.of("auth", connect.data())))
                .containsExactly("42/custom,[\"auth\",{\"token\":\"abc\"}]");
    }

    @Test
    void s21UnknownNamespaceWithoutTrailingComma() throws Exception {
        SocketPacket connect = received("40/random");
        assertThat(connect).isEqualTo(new SocketPacket(CONNECT, "/random", NO_ID, null));
        assertThat(sent(CONNECT_ERROR, connect.nsp(), NO_ID, Map.of("message", "Invalid namespace")))
                .containsExactly("44/random,{\"message\":\"Invalid namespace\"}");
    }

    @ParameterizedTest(name = "S22/S30/S31/S32 [{0}]")
    @ValueSource(strings = {"4abc", "42{}", "42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]",
            // probed against the reference server, not in the suite
            "45", "42[\"message\"", "49"})
    void invalidFormatsCloseTheConnection(String frame) {
        assertThatThrownBy(() -> received(frame)).isInstanceOf(PacketParseException.class);
    }

    @Test
    void s24AndS25Disconnect() throws Exception {
        assertThat(received("41")).isEqualTo(new SocketPacket(DISCONNECT, "/", NO_ID, null));
        assertThat(received("40/custom")).isEqualTo(new SocketPacket(CONNECT, "/custom", NO_ID, null));
        assertThat(received("41/custom")).isEqualTo(new SocketPacket(DISCONNECT, "/custom", NO_ID, null));
        SocketPacket message = received("42[\"message\",\"message to main namespace\"]");
        assertThat(message.nsp()).isEqualTo("/");
        assertThat(sent(EVENT, "/", NO_ID, List.of("message-back", message.data().get(1))))
                .containsExactly("42[\"message-back\",\"message to main namespace\"]");
    }

    @Test
    void s26PlainTextPacket() throws Exception {
        SocketPacket message = received("42[\"message\",1,\"2\",{\"3\":[true]}]");
        ArrayNode args = message.data().deepCopy();
        args.set(0, "message-back");
        assertThat(sent(EVENT, "/", NO_ID, args)).containsExactly("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void s27PacketWithBinaryAttachments() throws Exception {
        assertThat(received("452-[\"message\"," + PH0 + "," + PH1 + "]")).isNull();
        assertThat(receivedBinary(1, 2, 3)).isNull();
        SocketPacket message = receivedBinary(4, 5, 6);
        assertThat(message.type()).isEqualTo(EVENT);
        assertThat(message.data().get(1).binaryValue()).containsExactly(1, 2, 3);
        assertThat(message.data().get(2).binaryValue()).containsExactly(4, 5, 6);

        ArrayNode args = message.data().deepCopy();
        args.set(0, "message-back");
        assertThat(sent(EVENT, "/", NO_ID, args)).containsExactly(
                "452-[\"message-back\"," + PH0 + "," + PH1 + "]", "bin:010203", "bin:040506");
    }

    @Test
    void s28PlainTextPacketWithAnAck() throws Exception {
        SocketPacket message = received("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
        assertThat(message.id()).isEqualTo(456);
        ArrayNode args = NODES.arrayNode();
        message.data().forEach(args::add);
        args.remove(0);
        assertThat(sent(ACK, "/", message.id(), args)).containsExactly("43456[1,\"2\",{\"3\":[false]}]");
    }

    @Test
    void s29PacketWithBinaryAttachmentsAndAnAck() throws Exception {
        assertThat(received("452-789[\"message-with-ack\"," + PH0 + "," + PH1 + "]")).isNull();
        receivedBinary(1, 2, 3);
        SocketPacket message = receivedBinary(4, 5, 6);
        assertThat(message.id()).isEqualTo(789);

        ArrayNode args = NODES.arrayNode().add(message.data().get(1)).add(message.data().get(2));
        assertThat(sent(ACK, "/", message.id(), args)).containsExactly(
                "462-789[" + PH0 + "," + PH1 + "]", "bin:010203", "bin:040506");
    }

    @Test
    void protocolDocumentBinaryExamples() {
        assertThat(sent(EVENT, "/", NO_ID, List.of("baz", new byte[] {1, 2, 3, 4})))
                .containsExactly("451-[\"baz\"," + PH0 + "]", "bin:01020304");
        assertThat(sent(ACK, "/", 15, List.of("bar", new byte[] {1, 2, 3, 4})))
                .containsExactly("461-15[\"bar\"," + PH0 + "]", "bin:01020304");
    }
}
