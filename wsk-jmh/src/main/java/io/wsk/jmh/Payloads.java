package io.wsk.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.netty.buffer.ByteBuf;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketType;

import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The payloads every benchmark uses, as they travel on the wire and as the server holds them
 * before encoding (Jackson trees, as {@code Namespace.eventData} builds them).
 *
 * <p>Socket.IO texts ({@code 2[...]}) are what {@code SocketPacketDecoder} reads: the data of an
 * Engine.IO message, without its type digit {@code 4}. Engine.IO frames ({@code 42[...]}) are what
 * a WebSocket text frame carries.
 */
final class Payloads {

    /** One mapper for the benchmarks, configured as the server's default ({@code new ObjectMapper()}). */
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A chat line of exactly 100 characters. */
    static final String CHAT_MESSAGE =
            "Hey team, the new release is out: please update your clients and report anything odd in #support :-)";

    /** A small chat event. */
    static final String CHAT = "2[\"m\",\"" + CHAT_MESSAGE + "\"]";

    /** An event with ack id 1042 and a JSON object of 10 fields of mixed types. */
    static final String ORDER = "21042[\"order:update\",{"
            + "\"id\":\"ord_8f14e45fceea167a\","
            + "\"user\":\"u_104217\","
            + "\"status\":\"shipped\","
            + "\"items\":3,"
            + "\"total\":129.95,"
            + "\"currency\":\"EUR\","
            + "\"express\":true,"
            + "\"createdAt\":1718035200000,"
            + "\"tags\":[\"gift\",\"priority\"],"
            + "\"note\":null}]";

    /** The attachment of the binary event: 1 KiB of fixed pseudo-random bytes. */
    static final byte[] ATTACHMENT = randomBytes(1024);

    /** The text header of a binary event whose one attachment follows as a binary message. */
    static final String BINARY_HEADER = "51-[\"file\",\"photo.jpg\",{\"_placeholder\":true,\"num\":0}]";

    /** How many packets the polling payload holds. */
    static final int POLLING_PACKETS = 10;

    private Payloads() {
    }

    /** The Engine.IO message frame that carries a Socket.IO text: {@code 4} in front. */
    static String frame(String socketIoText) {
        return "4" + socketIoText;
    }

    /** Ten chat events in one polling body, each a different line of the same length. */
    static String pollingPayload() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < POLLING_PACKETS; i++) {
            if (i > 0) {
                body.append((char) EnginePacketDecoder.RECORD_SEPARATOR);
            }
            body.append(frame(chat(i)));
        }
        return body.toString();
    }

    /** The binary event in a polling body: its text header, then {@code b<base64>} of the attachment. */
    static String pollingBinaryPayload() {
        return frame(BINARY_HEADER) + (char) EnginePacketDecoder.RECORD_SEPARATOR
                + "b" + Base64.getEncoder().encodeToString(ATTACHMENT);
    }

    /** Chat event {@code i}: the chat line with its first character changed, so lines differ. */
    static String chat(int i) {
        return "2[\"m\",\"" + (char) ('0' + i % 10) + CHAT_MESSAGE.substring(1) + "\"]";
    }

    // ---- the packets the server encodes ----

    static SocketPacket chatPacket() {
        return new SocketPacket(SocketPacketType.EVENT, "/", SocketPacket.NO_ID, tree(CHAT.substring(1)));
    }

    static SocketPacket chatPacket(int i) {
        return new SocketPacket(SocketPacketType.EVENT, "/", SocketPacket.NO_ID, tree(chat(i).substring(1)));
    }

    static SocketPacket orderPacket() {
        return new SocketPacket(SocketPacketType.EVENT, "/", 1042, tree(ORDER.substring(5)));
    }

    /** The binary event as the server holds it: a {@link BinaryNode} where the placeholder goes. */
    static SocketPacket binaryPacket() {
        ArrayNode data = MAPPER.createArrayNode();
        data.add("file");
        data.add("photo.jpg");
        data.add(BinaryNode.valueOf(ATTACHMENT));
        return new SocketPacket(SocketPacketType.EVENT, "/", SocketPacket.NO_ID, data);
    }

    private static ArrayNode tree(String json) {
        try {
            return (ArrayNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- input buffers ----

    /**
     * A buffer holding {@code socketIoText} as the Engine.IO decoder hands it on: a slice of the
     * frame {@code 4<socketIoText>}, past the type digit. Release the returned buffer to free it.
     */
    static ByteBuf messageData(Memory memory, String socketIoText) {
        ByteBuf frame = memory.copyOf(frame(socketIoText));
        return frame.slice(1, frame.readableBytes() - 1);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(42).nextBytes(bytes);
        return bytes;
    }
}
