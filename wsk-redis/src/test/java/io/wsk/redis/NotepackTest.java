package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Notepack} against the bytes notepack.io 3.0.1 (the version {@code interop/} pins) writes
 * for the same values: every expected hex string below was printed by
 * {@code notepack.encode(value)} in Node. A Node peer decodes what we write, and we decode what it
 * writes, only if these agree byte for byte.
 */
class NotepackTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(JsonNode value) {
        return HEX.formatHex(Notepack.encode(value));
    }

    private static JsonNode decode(String hex) throws IOException {
        return Notepack.decode(HEX.parseHex(hex));
    }

    @Test
    void binaryIsBinWithTheSmallestHeader() {
        assertThat(hex(BinaryNode.valueOf(new byte[]{1, 2, 3}))).isEqualTo("c403010203");
        byte[] bin256 = new byte[256];
        Arrays.fill(bin256, (byte) 7);
        assertThat(hex(BinaryNode.valueOf(bin256))).startsWith("c501000707").hasSize(2 * 259);
        byte[] bin64k = new byte[65536];
        Arrays.fill(bin64k, (byte) 1);
        assertThat(hex(BinaryNode.valueOf(bin64k))).startsWith("c60001000001").hasSize(2 * (65536 + 5));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 00", "1, 01", "127, 7f", "128, cc80", "255, ccff", "256, cd0100", "65535, cdffff",
            "65536, ce00010000", "4294967295, ceffffffff", "4294967296, cf0000000100000000",
            "9007199254740991, cf001fffffffffffff",
            "-1, ff", "-32, e0", "-33, d0df", "-128, d080", "-129, d1ff7f", "-32768, d18000",
            "-32769, d2ffff7fff", "-2147483648, d280000000", "-2147483649, d3ffffffff7fffffff",
            "-9007199254740991, d3ffe0000000000001",
    })
    void integersTakeTheirSmallestForm(long value, String expected) {
        assertThat(hex(NODES.numberNode(value))).isEqualTo(expected);
        if (value == (int) value) {
            assertThat(hex(NODES.numberNode((int) value))).as("as an int").isEqualTo(expected);
        }
    }

    @Test
    void nonIntegersAreFloat64() {
        assertThat(hex(NODES.numberNode(1.5))).isEqualTo("cb3ff8000000000000");
        assertThat(hex(NODES.numberNode(-0.25))).isEqualTo("cbbfd0000000000000");
        assertThat(hex(NODES.numberNode(Double.NaN))).isEqualTo("cb7ff8000000000000");
        assertThat(hex(NODES.numberNode(Double.POSITIVE_INFINITY))).isEqualTo("cb7ff0000000000000");
    }

    @Test
    void scalarsAndStrings() {
        assertThat(hex(NODES.nullNode())).isEqualTo("c0");
        assertThat(hex(NODES.booleanNode(true))).isEqualTo("c3");
        assertThat(hex(NODES.booleanNode(false))).isEqualTo("c2");
        assertThat(hex(NODES.textNode("a"))).isEqualTo("a161");
        assertThat(hex(NODES.textNode("x".repeat(31)))).isEqualTo("bf" + "78".repeat(31));
        assertThat(hex(NODES.textNode("x".repeat(32)))).isEqualTo("d920" + "78".repeat(32));
        assertThat(hex(NODES.textNode("x".repeat(256)))).isEqualTo("da0100" + "78".repeat(256));
        assertThat(hex(NODES.textNode("é€😀"))).isEqualTo("a9c3a9e282acf09f9880");
    }

    @Test
    void arraysAndMapsKeepTheirOrder() {
        assertThat(hex(NODES.arrayNode().add(1).add("a").addNull())).isEqualTo("9301a161c0");
        ObjectNode map = NODES.objectNode().put("a", 1);
        map.putArray("b").add(true);
        assertThat(hex(map)).isEqualTo("82a16101a16291c3");
        assertThat(hex(NODES.arrayNode())).isEqualTo("90");
        assertThat(hex(NODES.objectNode())).isEqualTo("80");

        ArrayNode sixteen = NODES.arrayNode();
        ObjectNode sixteenKeys = NODES.objectNode();
        for (int i = 0; i < 16; i++) {
            sixteen.add(i);
            sixteenKeys.put("k" + i, i);
        }
        assertThat(hex(sixteen)).isEqualTo("dc0010000102030405060708090a0b0c0d0e0f");
        assertThat(hex(sixteenKeys)).isEqualTo("de0010a26b3000a26b3101a26b3202a26b3303a26b3404a26b3505a26b3606"
                + "a26b3707a26b3808a26b3909a36b31300aa36b31310ba36b31320ca36b31330da36b31340ea36b31350f");
    }

    /** The classic adapter's broadcast message, as {@code @socket.io/redis-adapter} publishes it. */
    @Test
    void aWholeBroadcastMessage() throws IOException {
        String expected = "93a675696431323383a47479706502a46461746194a36576740181a161a162c403010203a36e7370a12f"
                + "83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380";
        ObjectNode packet = NODES.objectNode().put("type", 2);
        ArrayNode data = packet.putArray("data").add("evt").add(1);
        data.addObject().put("a", "b");
        data.add(new byte[]{1, 2, 3});
        packet.put("nsp", "/");
        ObjectNode opts = NODES.objectNode();
        opts.putArray("rooms").add("room1");
        opts.putArray("except");
        opts.putObject("flags");
        ArrayNode message = NODES.arrayNode().add("uid123").add(packet).add(opts);

        assertThat(hex(message)).isEqualTo(expected);
        JsonNode decoded = decode(expected);
        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.get(1).get("data").get(3).isBinary()).isTrue();
        assertThat(decoded.get(1).get("data").get(3).binaryValue()).containsExactly(1, 2, 3);
    }

    @Test
    void decodesWhatItEncodes() throws IOException {
        ObjectNode value = NODES.objectNode().put("i", -129).put("l", 4294967296L).put("d", 1.5).put("s", "é");
        value.put("b", new byte[]{0, (byte) 0xff});
        value.putArray("a").add(true).addNull();
        assertThat(Notepack.decode(Notepack.encode(value))).isEqualTo(value);
    }

    /** notepack 3 writes a {@code Date} as the timestamp extension -1, in its 32, 64 or 96 bit form. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "d6ff00000000, 1970-01-01T00:00:00.000Z",
            "d7ff1d5353006553f100, 2023-11-14T22:13:20.123Z",
            "c70cff00000000ffffffffffffffff, 1969-12-31T23:59:59.000Z",
    })
    void aJavaScriptDateBecomesItsIsoString(String hex, String iso) throws IOException {
        JsonNode decoded = decode(hex);
        assertThat(decoded.isTextual()).as("%s decodes to text, not %s", hex, decoded.getNodeType()).isTrue();
        assertThat(decoded.textValue()).isEqualTo(iso);
    }

    /** A date inside a broadcast (as the Node emitter sends {@code new Date(0)}) is text in the tree. */
    @Test
    void aDateInsideAMessageIsText() throws IOException {
        // ["emitter", {"type":2, "data":["t", <Date 0>], "nsp":"/"}]
        JsonNode decoded = decode("92a7656d697474657283a47479706502a46461746192a174d6ff00000000a36e7370a12f");
        JsonNode date = decoded.get(1).get("data").get(1);
        assertThat(date.isTextual()).isTrue();
        assertThat(date.textValue()).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(RedisAdapter.JSON.writeValueAsString(decoded.get(1).get("data")))
                .isEqualTo("[\"t\",\"1970-01-01T00:00:00.000Z\"]");
    }

    /** notepack 2 wrote a {@code Date} as fixext 8 type 0: a float64 of milliseconds. */
    @Test
    void aNotepack2DateBecomesItsIsoString() throws IOException {
        JsonNode decoded = decode("d7004278bcfe5687b000");
        assertThat(decoded.isTextual()).isTrue();
        assertThat(decoded.textValue()).isEqualTo("2023-11-14T22:13:20.123Z");
    }

    /** The adapters catch both: Jackson's IOExceptions and msgpack-core's runtime format errors. */
    @Test
    void malformedInputThrows() {
        assertThatThrownBy(() -> decode("c1")).as("a byte msgpack never uses")
                .isInstanceOfAny(IOException.class, RuntimeException.class);
        assertThatThrownBy(() -> decode("93a6756964")).as("truncated")
                .isInstanceOfAny(IOException.class, RuntimeException.class);
    }

    @Test
    void aBroadcastIsToldAsOurOwnByItsFirstElementWithoutDecodingIt() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        byte[] ours = Notepack.encode(nodes.textNode("Ab3_x-"));
        ArrayNode broadcast = nodes.arrayNode().add("Ab3_x-").add(nodes.objectNode().put("nsp", "/")).add(nodes.objectNode());
        assertThat(Notepack.arrayStartsWith(Notepack.encode(broadcast), ours)).isTrue();

        ArrayNode someoneElses = nodes.arrayNode().add("Ab3_x9").add(nodes.objectNode()).add(nodes.objectNode());
        assertThat(Notepack.arrayStartsWith(Notepack.encode(someoneElses), ours)).isFalse();
        ArrayNode longerUid = nodes.arrayNode().add("Ab3_x-y").add(nodes.objectNode()).add(nodes.objectNode());
        assertThat(Notepack.arrayStartsWith(Notepack.encode(longerUid), ours)).as("a length prefix differs").isFalse();
        assertThat(Notepack.arrayStartsWith(Notepack.encode(nodes.objectNode().put("uid", "Ab3_x-")), ours))
                .as("not an array").isFalse();
        assertThat(Notepack.arrayStartsWith(new byte[0], ours)).isFalse();
        assertThat(Notepack.arrayStartsWith(new byte[] {(byte) 0x93, (byte) 0xa6}, ours)).as("truncated").isFalse();
    }
}
