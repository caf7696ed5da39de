package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.msgpack.jackson.dataformat.ExtensionTypeCustomDeserializers;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * msgpack as Node's {@code notepack.io} writes and reads it, to and from Jackson trees.
 *
 * <p>Binary values are msgpack {@code bin} on the wire and {@link com.fasterxml.jackson.databind.node.BinaryNode}
 * in the tree, so Socket.IO arguments cross the bus unchanged. Integers take their smallest form and
 * other numbers float64, as notepack does. A JavaScript {@code Date} arrives as timestamp extension
 * -1 (notepack 3) or fixext 8 type 0 (notepack 2); it becomes the ISO string {@code JSON.stringify}
 * would have produced, which is what a Node server would send on to its clients.
 */
final class Notepack {

    private static final ObjectMapper MAPPER = new ObjectMapper(new MessagePackFactory()
            .setExtTypeCustomDesers(dateExtensions()));

    private Notepack() {
    }

    static byte[] encode(JsonNode value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code message} is a msgpack array whose first element is encoded exactly as
     * {@code firstElement} (bytes from {@link #encode}): a node tells its own broadcasts, which
     * come back to it on the pattern it subscribes to, without decoding them.
     */
    static boolean arrayStartsWith(byte[] message, byte[] firstElement) {
        if (message.length == 0) {
            return false;
        }
        int header = message[0] & 0xFF;
        int offset = (header & 0xF0) == 0x90 ? 1 : header == 0xDC ? 3 : header == 0xDD ? 5 : -1;
        if (offset < 0 || message.length < offset + firstElement.length) {
            return false;
        }
        return Arrays.equals(message, offset, offset + firstElement.length, firstElement, 0, firstElement.length);
    }

    /** Decodes one msgpack value; throws on malformed input. */
    static JsonNode decode(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    private static ExtensionTypeCustomDeserializers dateExtensions() {
        ExtensionTypeCustomDeserializers deserializers = new ExtensionTypeCustomDeserializers();
        deserializers.addCustomDeser((byte) -1, Notepack::timestamp);
        deserializers.addCustomDeser((byte) 0, data -> data.length == 8
                ? isoString(Instant.ofEpochMilli((long) ByteBuffer.wrap(data).getDouble())) : data);
        return deserializers;
    }

    /** The msgpack timestamp extension: 4, 8 or 12 bytes. */
    private static Object timestamp(byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        return switch (data.length) {
            case 4 -> isoString(Instant.ofEpochSecond(Integer.toUnsignedLong(buf.getInt())));
            case 8 -> {
                long value = buf.getLong();
                yield isoString(Instant.ofEpochSecond(value & 0x3_FFFF_FFFFL, value >>> 34));
            }
            case 12 -> {
                long nanos = Integer.toUnsignedLong(buf.getInt());
                yield isoString(Instant.ofEpochSecond(buf.getLong(), nanos));
            }
            default -> data;
        };
    }

    /**
     * As {@code Date.prototype.toJSON}: millisecond precision, UTC, {@code Z}. A {@link TextNode}
     * rather than a {@code String}: Jackson puts an extension's value into the tree as it is when
     * it is a node, but wraps any other object in a {@code POJONode}, which is not textual
     * ({@code isTextual()} false, {@code EventArgs.string} null) although it serialises as a string.
     */
    private static TextNode isoString(Instant instant) {
        return TextNode.valueOf(JS_DATE.format(instant));
    }

    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
}
