package io.wsk.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.wsk.protocol.SocketPacket.NO_ID;
import static io.wsk.protocol.SocketPacketType.ACK;
import static io.wsk.protocol.SocketPacketType.BINARY_ACK;
import static io.wsk.protocol.SocketPacketType.BINARY_EVENT;
import static io.wsk.protocol.SocketPacketType.CONNECT;
import static io.wsk.protocol.SocketPacketType.CONNECT_ERROR;
import static io.wsk.protocol.SocketPacketType.DISCONNECT;
import static io.wsk.protocol.SocketPacketType.EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketPacketEncoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    private static final String PH0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PH1 = "{\"_placeholder\":true,\"num\":1}";

    private final SocketPacketEncoder encoder = new SocketPacketEncoder(MAPPER);

    /** The text frame of {@code packet}, checking it has no attachments; releases the packet. */
    private String plain(SocketPacketType type, String nsp, long id, String json) throws IOException {
        JsonNode data = json == null ? null : MAPPER.readTree(json);
        EncodedPacket encoded = encoder.encode(new SocketPacket(type, nsp, id, data), ALLOC);
        try {
            assertThat(encoded.attachmentCount()).isZero();
            assertThat(encoded.frames()).containsExactly(encoded.text());
            assertThat(encoded.text().isBinary()).isFalse();
            assertThat(encoded.text().type()).isEqualTo(EnginePacketType.MESSAGE);
            return Wire.text(encoded);
        } finally {
            encoded.release();
        }
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            CONNECT       | /       | -1 | NULL                                   | 40
            CONNECT       | /       | -1 | {"token":"123"}                        | 40{"token":"123"}
            CONNECT       | /       | -1 | {"sid":"wZX3oN0bSVIhsaknAAAI"}         | 40{"sid":"wZX3oN0bSVIhsaknAAAI"}
            CONNECT       | /admin  | -1 | NULL                                   | 40/admin,
            CONNECT       | /admin  | -1 | {"token":"abc"}                        | 40/admin,{"token":"abc"}
            DISCONNECT    | /       | -1 | NULL                                   | 41
            DISCONNECT    | /admin  | -1 | NULL                                   | 41/admin,
            EVENT         | /       | -1 | ["hey","Jude"]                         | 42["hey","Jude"]
            EVENT         | /admin  | -1 | ["bar"]                                | 42/admin,["bar"]
            EVENT         | /       | 12 | ["foo"]                                | 4212["foo"]
            EVENT         | /       | 0  | ["withack",1]                          | 420["withack",1]
            EVENT         | /admin  | 12 | ["foo"]                                | 42/admin,12["foo"]
            ACK           | /       | 12 | ["bar"]                                | 4312["bar"]
            ACK           | /admin  | 13 | ["bar"]                                | 43/admin,13["bar"]
            ACK           | /       | 7  | []                                     | 437[]
            CONNECT_ERROR | /       | -1 | {"message":"Not authorized"}           | 44{"message":"Not authorized"}
            CONNECT_ERROR | /random | -1 | {"message":"Invalid namespace"}        | 44/random,{"message":"Invalid namespace"}
            CONNECT_ERROR | /       | -1 | "old style"                            | 44"old style"
            """)
    void encodesTheReferenceWireForms(SocketPacketType type, String nsp, long id, String json, String wire)
            throws IOException {
        assertThat(plain(type, nsp, id, json)).isEqualTo(wire);
    }

    @Test
    void treatsNullAndEmptyNamespaceAsTheMainOne() throws IOException {
        assertThat(plain(EVENT, null, NO_ID, "[\"a\"]")).isEqualTo("42[\"a\"]");
        assertThat(plain(EVENT, "", NO_ID, "[\"a\"]")).isEqualTo("42[\"a\"]");
    }

    @Test
    void treatsJsonNullDataAsNoPayload() {
        EncodedPacket encoded = encoder.encode(new SocketPacket(CONNECT, "/admin", NO_ID, NullNode.instance), ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("40/admin,");
        encoded.release();
    }

    @Test
    void writesCompactJsonKeepingKeyOrderAndNumberKinds() throws IOException {
        assertThat(plain(EVENT, "/", NO_ID, "[\"message-back\", 1, \"2\", {\"3\": [true]}]"))
                .isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
        assertThat(plain(EVENT, "/", NO_ID, "[\"e\", {\"z\": 1, \"a\": 2, \"m\": {\"y\": null, \"b\": 1.5}}]"))
                .isEqualTo("42[\"e\",{\"z\":1,\"a\":2,\"m\":{\"y\":null,\"b\":1.5}}]");
        assertThat(plain(EVENT, "/", NO_ID, "[\"e\", 12345678901234, 123456789012345678901234567890]"))
                .isEqualTo("42[\"e\",12345678901234,123456789012345678901234567890]");
    }

    @Test
    void staysCompactWhenTheMapperIndents() {
        SocketPacketEncoder indenting = new SocketPacketEncoder(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));
        EncodedPacket encoded = indenting.encode(EVENT, "/", NO_ID, List.of("e", Map.of("k", List.of(1, 2))), ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("42[\"e\",{\"k\":[1,2]}]");
        encoded.release();
    }

    @Test
    void encodesNonAsciiTextAndNamespacesInUtf8() {
        ArrayNode data = NODES.arrayNode().add("héllo").add("日本語").add("😀").add("a\"b\\c\n");
        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/ünï", 3, data), ALLOC);
        String expected = "42/ünï,3[\"héllo\",\"日本語\",\"😀\",\"a\\\"b\\\\c\\n\"]";
        assertThat(Wire.bytes(encoded.text())).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        encoded.release();
    }

    @Test
    void escapesLikeJsonStringify() {
        ArrayNode data = NODES.arrayNode().add("\u0001\b\f\n\r\t\u001f\u007f").add("lone \uD800 surrogate").add("</script>");
        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/", NO_ID, data), ALLOC);
        assertThat(Wire.text(encoded))
                .isEqualTo("42[\"\\u0001\\b\\f\\n\\r\\t\\u001f\u007f\",\"lone \\ud800 surrogate\",\"</script>\"]");
        encoded.release();
    }

    @Test
    void turnsAnEventWithBinaryIntoABinaryEventWithOneFramePerAttachment() {
        ArrayNode data = NODES.arrayNode().add("baz").add(new byte[] {1, 2, 3, 4});
        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/", NO_ID, data), ALLOC);

        assertThat(Wire.text(encoded)).isEqualTo("451-[\"baz\"," + PH0 + "]");
        assertThat(encoded.attachmentCount()).isEqualTo(1);
        assertThat(encoded.frames()).hasSize(2);
        EngineFrame attachment = encoded.frames().get(1);
        assertThat(attachment.isBinary()).isTrue();
        assertThat(Wire.bytes(attachment)).containsExactly(1, 2, 3, 4);
        encoded.release();
    }

    @Test
    void turnsAnAckWithBinaryIntoABinaryAck() {
        ArrayNode data = NODES.arrayNode().add("bar").add(new byte[] {9});
        EncodedPacket encoded = encoder.encode(new SocketPacket(ACK, "/", 15, data), ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("461-15[\"bar\"," + PH0 + "]");
        encoded.release();
    }

    @Test
    void putsTheAttachmentCountBeforeNamespaceAndId() {
        ArrayNode data = NODES.arrayNode().add("baz").add(new byte[] {1});
        EncodedPacket event = encoder.encode(new SocketPacket(EVENT, "/admin", NO_ID, data), ALLOC);
        EncodedPacket ack = encoder.encode(new SocketPacket(ACK, "/admin", 789, data), ALLOC);
        assertThat(Wire.text(event)).isEqualTo("451-/admin,[\"baz\"," + PH0 + "]");
        assertThat(Wire.text(ack)).isEqualTo("461-/admin,789[\"baz\"," + PH0 + "]");
        event.release();
        ack.release();
    }

    @Test
    void numbersNestedAttachmentsDepthFirstInOrder() {
        ObjectNode inner = NODES.objectNode();
        inner.putObject("a").put("b", new byte[] {0});
        inner.putArray("list").add(1).add(new byte[] {1}).addObject().put("c", new byte[] {2});
        inner.put("after", new byte[] {3});
        ArrayNode data = NODES.arrayNode().add("ev").add(inner).add(new byte[] {4});

        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/", NO_ID, data), ALLOC);

        assertThat(Wire.text(encoded)).isEqualTo("455-[\"ev\",{\"a\":{\"b\":" + placeholder(0)
                + "},\"list\":[1," + placeholder(1) + ",{\"c\":" + placeholder(2) + "}],\"after\":"
                + placeholder(3) + "}," + placeholder(4) + "]");
        assertThat(Wire.attachments(encoded)).containsExactly(
                new byte[] {0}, new byte[] {1}, new byte[] {2}, new byte[] {3}, new byte[] {4});
        encoded.release();
    }

    @Test
    void writesMultiDigitAttachmentCounts() {
        ArrayNode data = NODES.arrayNode().add("many");
        for (int i = 0; i < 12; i++) {
            data.add(new byte[] {(byte) i});
        }
        EncodedPacket encoded = encoder.encode(new SocketPacket(ACK, "/n", 4, data), ALLOC);

        assertThat(Wire.text(encoded)).startsWith("4612-/n,4[\"many\"," + PH0 + "," + PH1 + ",")
                .endsWith(placeholder(11) + "]");
        assertThat(encoded.attachmentCount()).isEqualTo(12);
        assertThat(Wire.attachments(encoded).get(11)).containsExactly(11);
        encoded.release();
    }

    @Test
    void reusesTheNumberOfAnArrayWrittenTwice() {
        byte[] shared = {7, 7};
        ArrayNode data = NODES.arrayNode().add("echo").add(shared).add(shared).add(new byte[] {7, 7});
        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/", NO_ID, data), ALLOC);

        assertThat(Wire.text(encoded)).isEqualTo("452-[\"echo\"," + PH0 + "," + PH0 + "," + PH1 + "]");
        assertThat(Wire.attachments(encoded)).containsExactly(new byte[] {7, 7}, new byte[] {7, 7});
        encoded.release();
    }

    @Test
    void sendsABinaryTypeWithoutBinaryDataAsThePlainType() throws IOException {
        assertThat(plain(BINARY_EVENT, "/", NO_ID, "[\"a\"]")).isEqualTo("42[\"a\"]");
        assertThat(plain(BINARY_ACK, "/", 1, "[]")).isEqualTo("431[]");
    }

    @Test
    void writesBinaryAsBase64InPacketsThatCannotCarryAttachments() {
        ObjectNode auth = NODES.objectNode().put("key", new byte[] {1, 2, 3});
        EncodedPacket encoded = encoder.encode(new SocketPacket(CONNECT, "/", NO_ID, auth), ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("40{\"key\":\"AQID\"}");
        assertThat(encoded.attachmentCount()).isZero();
        encoded.release();
    }

    @Test
    void copiesAttachmentsSoLaterChangesToTheArrayDoNotLeak() {
        byte[] bytes = {1, 2, 3};
        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID, new Object[] {"e", bytes}, ALLOC);
        bytes[0] = 99;
        assertThat(Wire.attachments(encoded).get(0)).containsExactly(1, 2, 3);
        encoded.release();
    }

    // --- plain Java values, without a tree ---

    record Upload(String name, byte[] content, ByteBuffer preview, int size) {
    }

    @Test
    void encodesArgumentArraysListsAndMaps() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("z", true);
        options.put("a", List.of(1, 2.5, "x"));
        EncodedPacket array = encoder.encode(EVENT, "/", NO_ID, new Object[] {"chat", "hi", 3, options}, ALLOC);
        EncodedPacket list = encoder.encode(ACK, "/chat", 5, List.of("ok"), ALLOC);

        assertThat(Wire.text(array)).isEqualTo("42[\"chat\",\"hi\",3,{\"z\":true,\"a\":[1,2.5,\"x\"]}]");
        assertThat(Wire.text(list)).isEqualTo("43/chat,5[\"ok\"]");
        array.release();
        list.release();
    }

    @Test
    void turnsByteArraysInArgumentsIntoAttachments() {
        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID,
                new Object[] {"file", new byte[] {1, 2}, List.of(new byte[] {3})}, ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("452-[\"file\"," + PH0 + ",[" + PH1 + "]]");
        assertThat(Wire.attachments(encoded)).containsExactly(new byte[] {1, 2}, new byte[] {3});
        encoded.release();
    }

    @Test
    void turnsByteArrayAndByteBufferFieldsOfPojosIntoAttachments() {
        Upload upload = new Upload("a.png", new byte[] {1, 2, 3}, ByteBuffer.wrap(new byte[] {4, 5}), 3);
        EncodedPacket encoded = encoder.encode(EVENT, "/up", NO_ID, List.of("upload", upload), ALLOC);

        assertThat(Wire.text(encoded)).isEqualTo("452-/up,[\"upload\",{\"name\":\"a.png\",\"content\":" + PH0
                + ",\"preview\":" + PH1 + ",\"size\":3}]");
        assertThat(Wire.attachments(encoded)).containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5});
        encoded.release();
    }

    @Test
    void takesOnlyTheRemainingBytesOfSlicedAndDirectByteBuffers() {
        ByteBuffer heapSlice = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5}, 1, 4).slice();
        heapSlice.position(1);
        ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {9, 8, 7, 6});
        direct.flip().position(1);

        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID, List.of("b", heapSlice, direct), ALLOC);

        assertThat(Wire.text(encoded)).isEqualTo("452-[\"b\"," + PH0 + "," + PH1 + "]");
        assertThat(Wire.attachments(encoded)).containsExactly(new byte[] {2, 3, 4}, new byte[] {8, 7, 6});
        encoded.release();
    }

    @Test
    void encodesTreesPassedAsPlainValues() {
        ArrayNode data = NODES.arrayNode().add("t").add(new byte[] {5});
        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID, data, ALLOC);
        assertThat(Wire.text(encoded)).isEqualTo("451-[\"t\"," + PH0 + "]");
        encoded.release();
    }

    @Test
    void readsBinaryStreamsOfKnownAndUnknownLength() throws IOException {
        ByteBuf out = ALLOC.buffer();
        try (var json = MAPPER.getFactory().createGenerator((OutputStream) new ByteBufOutputStream(out));
             var collector = new AttachmentCollectingGenerator(json, ALLOC)) {
            collector.writeStartArray();
            assertThat(collector.writeBinary(new ByteArrayInputStream(new byte[] {1, 2, 3}), 3)).isEqualTo(3);
            byte[] big = new byte[10_000];
            big[9_999] = 42;
            assertThat(collector.writeBinary(new ByteArrayInputStream(big), -1)).isEqualTo(10_000);
            collector.writeEndArray();
            collector.flush();
            assertThat(collector.attachments()).hasSize(2);
            assertThat(collector.attachments().get(1).getByte(9_999)).isEqualTo((byte) 42);
            assertThatThrownBy(() -> collector.writeBinary(InputStream.nullInputStream(), 2))
                    .isInstanceOf(IOException.class);
            collector.releaseAttachments();
        } finally {
            out.release();
        }
        assertThat(out.refCnt()).isZero();
    }

    // --- failures and ownership ---

    @JsonPropertyOrder({"first", "second"})
    record Exploding(byte[] first, Object second) {
        @Override
        public Object second() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void releasesEverythingWhenDataCannotBeSerialized() {
        TrackingAllocator tracking = new TrackingAllocator();
        assertThatThrownBy(() -> encoder.encode(EVENT, "/", NO_ID,
                List.of("e", new Exploding(new byte[] {1}, null)), tracking))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("boom");
        assertThat(tracking.allocated()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(tracking.allReleased()).isTrue();

        assertThatThrownBy(() -> encoder.encode(EVENT, "/", NO_ID, List.of("e", new Object()), tracking))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tracking.allReleased()).isTrue();
    }

    @Test
    void retainsAndReleasesAllFramesTogether() {
        TrackingAllocator tracking = new TrackingAllocator();
        ArrayNode data = NODES.arrayNode().add("x").add(new byte[] {1}).add(new byte[] {2});
        EncodedPacket encoded = encoder.encode(new SocketPacket(EVENT, "/", NO_ID, data), tracking);
        assertThat(encoded.refCnt()).isEqualTo(1);

        assertThat(encoded.retain(2)).isSameAs(encoded);
        assertThat(encoded.frames()).allSatisfy(frame -> assertThat(frame.refCnt()).isEqualTo(3));
        assertThat(encoded.release(2)).isFalse();
        encoded.retain();
        // a holder may also hand out the frames and release them one by one
        encoded.frames().forEach(EngineFrame::release);
        assertThat(encoded.refCnt()).isEqualTo(1);
        assertThat(encoded.release()).isTrue();
        assertThat(encoded.frames()).allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
        assertThat(tracking.allReleased()).isTrue();
    }

    @Test
    void exposesImmutableFrames() {
        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID, List.of("x", new byte[] {1}), ALLOC);
        assertThatThrownBy(() -> encoded.frames().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(encoded.toString()).contains("451-", "1 attachments");
        encoded.release();
    }

    @Test
    void framesWorkWithPollingAndRepeatedReads() {
        EncodedPacket encoded = encoder.encode(EVENT, "/", NO_ID, List.of("baz", new byte[] {1, 2, 3, 4}), ALLOC);
        ByteBuf first = PollingPayloadEncoder.encode(encoded.frames(), ALLOC);
        ByteBuf second = PollingPayloadEncoder.encode(encoded.frames(), ALLOC);
        String expected = "451-[\"baz\"," + PH0 + "]\u001ebAQIDBA==";
        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        first.release();
        second.release();
        encoded.release();
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                tasks.add(() -> {
                    EncodedPacket encoded = encoder.encode(EVENT, "/t", n,
                            List.of("e", n, new byte[] {(byte) n}), ALLOC);
                    try {
                        return Wire.text(encoded) + "|" + Wire.attachments(encoded).get(0)[0];
                    } finally {
                        encoded.release();
                    }
                });
            }
            List<Future<String>> results = pool.invokeAll(tasks);
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo("451-/t," + i + "[\"e\"," + i + "," + PH0 + "]|" + (byte) i);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String placeholder(int num) {
        return "{\"_placeholder\":true,\"num\":" + num + "}";
    }
}
