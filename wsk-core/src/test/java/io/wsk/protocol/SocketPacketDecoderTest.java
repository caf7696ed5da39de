package io.wsk.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static io.wsk.protocol.SocketPacket.NO_ID;
import static io.wsk.protocol.SocketPacketType.ACK;
import static io.wsk.protocol.SocketPacketType.CONNECT;
import static io.wsk.protocol.SocketPacketType.CONNECT_ERROR;
import static io.wsk.protocol.SocketPacketType.DISCONNECT;
import static io.wsk.protocol.SocketPacketType.EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketPacketDecoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PH0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PH1 = "{\"_placeholder\":true,\"num\":1}";

    private final SocketPacketDecoder decoder = new SocketPacketDecoder(MAPPER, 10);

    private SocketPacket text(String data) throws PacketParseException {
        ByteBuf buf = Wire.utf8(data);
        try {
            return decoder.decodeText(buf);
        } finally {
            buf.release();
        }
    }

    private SocketPacket binary(int... bytes) throws PacketParseException {
        ByteBuf buf = Wire.bytes(bytes);
        try {
            return decoder.decodeBinary(buf);
        } finally {
            buf.release();
        }
    }

    private static JsonNode json(String json) throws IOException {
        return MAPPER.readTree(json);
    }

    private static SocketPacket packet(SocketPacketType type, String nsp, long id, String json) throws IOException {
        return new SocketPacket(type, nsp, id, json == null ? null : json(json));
    }

    // --- well-formed packets ---

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            0                               | CONNECT       | /       | -1 | NULL
            0{"token":"123"}                | CONNECT       | /       | -1 | {"token":"123"}
            0/custom                        | CONNECT       | /custom | -1 | NULL
            0/custom,                       | CONNECT       | /custom | -1 | NULL
            0/custom,{"token":"abc"}        | CONNECT       | /custom | -1 | {"token":"abc"}
            0{}                             | CONNECT       | /       | -1 | {}
            1                               | DISCONNECT    | /       | -1 | NULL
            1/admin,                        | DISCONNECT    | /admin  | -1 | NULL
            1/custom                        | DISCONNECT    | /custom | -1 | NULL
            2["foo"]                        | EVENT         | /       | -1 | ["foo"]
            2/admin,["bar"]                 | EVENT         | /admin  | -1 | ["bar"]
            212["foo"]                      | EVENT         | /       | 12 | ["foo"]
            20["foo"]                       | EVENT         | /       | 0  | ["foo"]
            2/admin,456["foo",1,{"a":[]}]   | EVENT         | /admin  | 456| ["foo",1,{"a":[]}]
            2[42,"x"]                       | EVENT         | /       | -1 | [42,"x"]
            2[1.5]                          | EVENT         | /       | -1 | [1.5]
            2["connection"]                 | EVENT         | /       | -1 | ["connection"]
            2[""]                           | EVENT         | /       | -1 | [""]
            3[]                             | ACK           | /       | -1 | []
            312["bar"]                      | ACK           | /       | 12 | ["bar"]
            3/admin,13["bar",null]          | ACK           | /admin  | 13 | ["bar",null]
            4{"message":"Not authorized"}   | CONNECT_ERROR | /       | -1 | {"message":"Not authorized"}
            4/random,{"message":"Invalid namespace"} | CONNECT_ERROR | /random | -1 | {"message":"Invalid namespace"}
            4"plain string"                 | CONNECT_ERROR | /       | -1 | "plain string"
            2 ["spaced"]                    | EVENT         | /       | -1 | ["spaced"]
            2/,["slash"]                    | EVENT         | /       | -1 | ["slash"]
            """)
    void decodesTextPackets(String wire, SocketPacketType type, String nsp, long id, String data)
            throws Exception {
        assertThat(text(wire)).isEqualTo(packet(type, nsp, id, data));
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @Test
    void readsAnAckIdOnAnyPacketTypeAsTheGrammarSays() throws Exception {
        // the reference parser does the same; the server decides what an id on a CONNECT means
        assertThat(text("0/admin,5{}")).isEqualTo(packet(CONNECT, "/admin", 5, "{}"));
        assertThat(text("17")).isEqualTo(packet(DISCONNECT, "/", 7, null));
    }

    @Test
    void readsLargeAckIdsExactly() throws Exception {
        assertThat(text("29007199254740993[\"a\"]").id()).isEqualTo(9007199254740993L);
        assertThat(text("2" + Long.MAX_VALUE + "[\"a\"]").id()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void leavesTheInputIndexesAlone() throws Exception {
        ByteBuf buf = Wire.utf8("2[\"a\"]");
        decoder.decodeText(buf);
        assertThat(buf.readerIndex()).isZero();
        assertThat(buf.readableBytes()).isEqualTo(6);
        buf.release();
    }

    @Test
    void readsOnlyTheReadableBytesOfSlicesAndDirectBuffers() throws Exception {
        ByteBuf whole = Wire.utf8("42/n,1[\"sliced\"]xyz");
        assertThat(decoder.decodeText(whole.slice(1, 15))).isEqualTo(packet(EVENT, "/n", 1, "[\"sliced\"]"));
        whole.release();

        ByteBuf direct = Unpooled.directBuffer();
        direct.writeCharSequence("3/d,2[\"direct\",\"é\"]", StandardCharsets.UTF_8);
        assertThat(decoder.decodeText(direct)).isEqualTo(packet(ACK, "/d", 2, "[\"direct\",\"é\"]"));
        direct.release();
    }

    @Test
    void decodesNonAsciiTextAndNamespaces() throws Exception {
        SocketPacket packet = text("2/ñs,[\"héllo\",\"日本語\",\"😀\",\"\\u00e9\"]");
        assertThat(packet.nsp()).isEqualTo("/ñs");
        assertThat(packet.data().get(0).textValue()).isEqualTo("héllo");
        assertThat(packet.data().get(1).textValue()).isEqualTo("日本語");
        assertThat(packet.data().get(2).textValue()).isEqualTo("😀");
        assertThat(packet.data().get(3).textValue()).isEqualTo("é");
    }

    @Test
    void keepsNumberKindsAndTheLastOfDuplicateKeys() throws Exception {
        JsonNode data = text("2[\"n\",1,12345678901,123456789012345678901234567890,0.5,{\"a\":1,\"b\":2,\"a\":3}]").data();
        assertThat(data.get(1).isInt()).isTrue();
        assertThat(data.get(2).isLong()).isTrue();
        assertThat(data.get(3).bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(data.get(4).isDouble()).isTrue();
        assertThat(data.get(5).toString()).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void followsTheMappersChoiceOfBigDecimals() throws Exception {
        ObjectMapper decimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        ByteBuf buf = Wire.utf8("2[\"n\",0.1]");
        JsonNode value = new SocketPacketDecoder(decimals, 10).decodeText(buf).data().get(1);
        assertThat(value.isBigDecimal()).isTrue();
        assertThat(value.decimalValue()).isEqualTo(new BigDecimal("0.1"));
        buf.release();
    }

    @Test
    void leavesPlaceholderLookalikesInPlainPacketsAsObjects() throws Exception {
        SocketPacket packet = text("2[\"a\"," + PH0 + "]");
        assertThat(packet.data().get(1).isObject()).isTrue();
        assertThat(packet.data().get(1).toString()).isEqualTo(PH0);
    }

    // --- binary packets ---

    @Test
    void completesABinaryEventWithItsAttachment() throws Exception {
        assertThat(text("51-[\"baz\"," + PH0 + "]")).isNull();
        assertThat(decoder.awaitingAttachments()).isTrue();

        SocketPacket packet = binary(1, 2, 3, 4);

        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(packet.type()).isEqualTo(EVENT);
        assertThat(packet.nsp()).isEqualTo("/");
        assertThat(packet.hasId()).isFalse();
        assertThat(packet.data().get(0).textValue()).isEqualTo("baz");
        assertThat(packet.data().get(1)).isInstanceOf(BinaryNode.class);
        assertThat(packet.data().get(1).binaryValue()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void completesABinaryAckWithNamespaceAndId() throws Exception {
        assertThat(text("62-/admin,15[" + PH1 + ",\"mid\"," + PH0 + "]")).isNull();
        assertThat(binary(10)).isNull();
        assertThat(decoder.awaitingAttachments()).isTrue();
        SocketPacket packet = binary(11, 12);

        assertThat(packet.type()).isEqualTo(ACK);
        assertThat(packet.nsp()).isEqualTo("/admin");
        assertThat(packet.id()).isEqualTo(15);
        assertThat(packet.data().get(0).binaryValue()).containsExactly(11, 12);
        assertThat(packet.data().get(1).textValue()).isEqualTo("mid");
        assertThat(packet.data().get(2).binaryValue()).containsExactly(10);
    }

    @Test
    void placesAttachmentsNestedInObjectsAndArrays() throws Exception {
        assertThat(text("53-[\"ev\",{\"a\":{\"b\":" + PH0 + "},\"list\":[1," + PH1
                + ",{\"c\":{\"_placeholder\":true,\"num\":2,\"extra\":\"ignored\"}}]}]")).isNull();
        binary(0);
        binary(1);
        SocketPacket packet = binary(2);

        JsonNode data = packet.data();
        assertThat(data.at("/1/a/b").binaryValue()).containsExactly(0);
        assertThat(data.at("/1/list/0").intValue()).isEqualTo(1);
        assertThat(data.at("/1/list/1").binaryValue()).containsExactly(1);
        assertThat(data.at("/1/list/2/c").binaryValue()).containsExactly(2);
        assertThat(data.get(1).fieldNames()).toIterable().containsExactly("a", "list");
    }

    @Test
    void sharesOneNodeAmongPlaceholdersNamingTheSameAttachment() throws Exception {
        text("51-[\"dup\"," + PH0 + "," + PH0 + ",{\"k\":" + PH0 + "}]");
        SocketPacket packet = binary(5, 6, 7);

        JsonNode first = packet.data().get(1);
        assertThat(packet.data().get(2)).isSameAs(first);
        assertThat(packet.data().get(3).get("k")).isSameAs(first);
        assertThat(first.binaryValue()).containsExactly(5, 6, 7);
    }

    @Test
    void copiesAttachmentBytesOutOfTheBuffer() throws Exception {
        text("51-[\"copy\"," + PH0 + "]");
        ByteBuf attachment = Wire.bytes(1, 2, 3);
        SocketPacket packet = decoder.decodeBinary(attachment);
        attachment.setByte(0, 99);
        attachment.release();
        assertThat(packet.data().get(1).binaryValue()).containsExactly(1, 2, 3);
    }

    @Test
    void acceptsEmptyAttachments() throws Exception {
        text("51-[\"empty\"," + PH0 + "]");
        assertThat(binary().data().get(1).binaryValue()).isEmpty();
    }


    @Test
    void ignoresPlaceholdersNestedInsidePlaceholders() throws Exception {
        text("51-[\"n\",{\"_placeholder\":true,\"num\":0,\"inner\":{\"_placeholder\":true,\"num\":7}}]");
        assertThat(binary(1).data().get(1).binaryValue()).containsExactly(1);
    }

    @Test
    void honoursDuplicateKeysOverPlaceholders() throws Exception {
        text("51-[\"d\",{\"k\":" + PH0 + ",\"k\":1}," + PH0 + "]");
        SocketPacket packet = binary(4);
        assertThat(packet.data().get(1).toString()).isEqualTo("{\"k\":1}");
        assertThat(packet.data().get(2).binaryValue()).containsExactly(4);
    }

    @Test
    void honoursACustomAttachmentLimit() throws Exception {
        SocketPacketDecoder two = new SocketPacketDecoder(MAPPER, 2);
        ByteBuf ok = Wire.utf8("52-[\"a\"," + PH0 + "," + PH1 + "]");
        ByteBuf tooMany = Wire.utf8("53-[\"a\"]");
        assertThat(two.decodeText(ok)).isNull();
        two.decodeBinary(Wire.bytes(1));
        two.decodeBinary(Wire.bytes(2));
        assertThatThrownBy(() -> two.decodeText(tooMany))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("too many attachments");
        ok.release();
        tooMany.release();
    }

    @Test
    void aDecoderMadeFromAnotherHasItsSettingsButNotItsState() throws Exception {
        SocketPacketDecoder settings = new SocketPacketDecoder(MAPPER, 1, 2);
        SocketPacketDecoder copy = new SocketPacketDecoder(settings);
        ByteBuf header = Wire.utf8("51-[\"a\"," + PH0 + "]");
        ByteBuf tooMany = Wire.utf8("52-[\"a\"]");
        ByteBuf tooDeep = Wire.utf8("2[\"a\",{\"b\":[]}]");

        assertThat(copy.decodeText(header)).isNull();
        assertThat(copy.awaitingAttachments()).isTrue();
        assertThat(settings.awaitingAttachments()).as("the original's state").isFalse();
        assertThat(copy.decodeBinary(Wire.bytes(7)).data().get(1).binaryValue()).containsExactly(7);
        assertThatThrownBy(() -> copy.decodeText(tooMany)).hasMessageContaining("too many attachments");
        assertThatThrownBy(() -> copy.decodeText(tooDeep)).isInstanceOf(PacketParseException.class);
        header.release();
        tooMany.release();
        tooDeep.release();
    }

    // --- state ---

    @Test
    void decodesNormallyAfterACompletedBinaryPacket() throws Exception {
        text("51-[\"one\"," + PH0 + "]");
        binary(1);
        assertThat(text("2[\"plain\"]")).isEqualTo(packet(EVENT, "/", NO_ID, "[\"plain\"]"));
        assertThat(text("62-9[" + PH0 + "," + PH1 + "]")).isNull();
        binary(2);
        SocketPacket second = binary(3);
        assertThat(second.id()).isEqualTo(9);
        assertThat(second.data().get(0).binaryValue()).containsExactly(2);
        assertThat(second.data().get(1).binaryValue()).containsExactly(3);
        assertThatThrownBy(() -> binary(4)).isInstanceOf(PacketParseException.class);
    }

    @Test
    void rejectsTextWhileAttachmentsArePendingAndDropsThePartialPacket() throws Exception {
        text("52-[\"a\"," + PH0 + "," + PH1 + "]");
        binary(1);
        assertThatThrownBy(() -> text("2[\"b\"]"))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("1 attachments are expected");
        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(text("2[\"c\"]")).isEqualTo(packet(EVENT, "/", NO_ID, "[\"c\"]"));
    }

    @Test
    void rejectsBinaryWhenNoneIsExpected() {
        assertThatThrownBy(() -> binary(1, 2))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("no attachments are expected");
    }

    @Test
    void staysUsableAfterAMalformedPacket() throws Exception {
        assertThatThrownBy(() -> text("51-[\"a\"," + PH1 + "]")).isInstanceOf(PacketParseException.class);
        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(text("3[]")).isEqualTo(packet(ACK, "/", NO_ID, "[]"));
    }

    // --- malformed input ---

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            // no packet or unknown type
            "", "abc", "7", "9[\"a\"]", " 2[\"a\"]", "-1",
            // attachments count
            "5", "6", "51[\"a\"," + PH0 + "]", "5-[\"a\"]", "5-1-[\"a\"]", "5a-[\"a\"]", "51", "6/x,1-[]",
            "511-[\"a\"]", "599999999999999999999999-[\"a\"]",
            "50-[\"a\"]", "60-/x,3[]", "500-[\"a\"]", "50-[\"a\"," + PH0 + "]",
            // ack id
            "299999999999999999999[\"a\"]",
            // invalid JSON
            "2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", "2[\"message\"", "2[\"a\"]x", "2[\"a\"][\"b\"]",
            "2['a']", "2[\"a\",]", "2[NaN]", "2[01]", "2[\"a\"]]", "0 ", "2/admin,12abc", "2[\"a\"}", "2{\"a\"]",
            // CONNECT: absent or object
            "0[]", "0\"s\"", "0null", "0/x,[]", "0true", "01[]",
            // DISCONNECT: absent
            "1{}", "1[]", "1null", "1/x,\"s\"",
            // EVENT: non-empty array starting with a non-reserved name or a number
            "2", "2{}", "2[]", "2\"s\"", "2null", "2[null]", "2[true]", "2[[\"a\"]]", "2[{\"toString\":\"foo\"}]",
            "2[\"connect\"]", "2[\"connect_error\"]", "2[\"disconnect\"]", "2[\"disconnecting\"]",
            "2[\"newListener\"]", "2[\"removeListener\"]", "2/admin,", "212", "2/admin[\"a\"]",
            // ACK: array
            "3", "312", "3{}", "3\"s\"", "3null", "3/x,4",
            // CONNECT_ERROR: object or string
            "4", "4[]", "41", "4null", "4true",
            // binary packets follow the same payload rules
            "51-{\"a\":" + PH0 + "}", "51-[\"disconnect\"," + PH0 + "]", "61-" + PH0, "51-", "51-/x,",
    })
    void rejectsMalformedPackets(String wire) {
        assertThatThrownBy(() -> text(wire)).isInstanceOf(PacketParseException.class);
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "51-[\"a\",{\"_placeholder\":true,\"num\":1}]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":-1}]",
            "52-[\"a\",{\"_placeholder\":true,\"num\":2}," + PH0 + "]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":0.5}]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":0.0}]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":null}]",
            "51-[\"a\",{\"_placeholder\":true}]",
            "51-[\"a\",{\"_placeholder\":true,\"num\":4294967296}]",
    })
    void rejectsPlaceholdersWithABadNum(String wire) {
        assertThatThrownBy(() -> text(wire))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("placeholder");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "51-[\"a\"]",
            "52-[\"a\"," + PH0 + "]",
            "52-[\"a\"," + PH1 + "," + PH1 + "]",
            "51-[\"a\",{\"_placeholder\":false,\"num\":0}]",
            "51-[\"a\",{\"_placeholder\":\"true\",\"num\":0}]",
            "51-[\"a\",{\"k\":" + PH0 + ",\"k\":1}]",
    })
    void rejectsAttachmentsThatNoPlaceholderNames(String wire) {
        assertThatThrownBy(() -> text(wire))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("attachments announced");
    }

    @Test
    void rejectsInvalidUtf8InThePayload() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {'2', '[', '"', (byte) 0xc3, '"', ']'});
        assertThatThrownBy(() -> decoder.decodeText(buf)).isInstanceOf(PacketParseException.class);
        buf.release();
    }

    @Test
    void limitsNesting() throws Exception {
        int limit = SocketPacketDecoder.DEFAULT_MAX_DEPTH;
        String deepest = "[".repeat(limit - 1) + "]".repeat(limit - 1);
        assertThat(text("2[\"deep\"," + deepest + "]").data().get(1).isArray()).isTrue();

        String tooDeep = "[".repeat(limit) + "]".repeat(limit);
        assertThatThrownBy(() -> text("2[\"deep\"," + tooDeep + "]"))
                .isInstanceOf(PacketParseException.class)
                .hasMessageContaining("nested deeper than " + limit);

        String objects = "{\"a\":".repeat(limit) + "1" + "}".repeat(limit);
        assertThatThrownBy(() -> text("2[\"deep\"," + objects + "]")).isInstanceOf(PacketParseException.class);

        String abusive = "[".repeat(100_000);
        assertThatThrownBy(() -> text("2[\"deep\"," + abusive)).isInstanceOf(PacketParseException.class);
    }

    @Test
    void honoursACustomNestingLimit() throws Exception {
        SocketPacketDecoder shallow = new SocketPacketDecoder(MAPPER, 10, 2);
        ByteBuf ok = Wire.utf8("2[\"a\",{\"b\":1}]");
        ByteBuf deep = Wire.utf8("2[\"a\",{\"b\":[]}]");
        assertThat(shallow.decodeText(ok)).isNotNull();
        assertThatThrownBy(() -> shallow.decodeText(deep)).isInstanceOf(PacketParseException.class);
        ok.release();
        deep.release();
    }

    @Test
    void rejectsNonsensicalLimits() {
        assertThatThrownBy(() -> new SocketPacketDecoder(MAPPER, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketPacketDecoder(MAPPER, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheProblemInTheMessage() {
        assertThatThrownBy(() -> text("abc")).hasMessage("unknown packet type");
        assertThatThrownBy(() -> text("")).hasMessage("empty packet");
        assertThatThrownBy(() -> text("51[\"a\"]")).hasMessage("illegal attachments count");
        assertThatThrownBy(() -> text("2{}")).hasMessage("invalid payload for EVENT");
        assertThatThrownBy(() -> text("2abc[\"a\"]")).hasMessageStartingWith("invalid JSON payload");
        assertThatThrownBy(() -> text("2" + "9".repeat(20) + "[\"a\"]")).hasMessage("ack id too large");
    }

    @Test
    void typesAreOnlyEverPlain() throws Exception {
        assertThat(text("4{\"message\":\"m\"}").type()).isEqualTo(CONNECT_ERROR);
        text("61-[" + PH0 + "]");
        assertThat(binary(1).type()).isEqualTo(ACK);
    }
}
