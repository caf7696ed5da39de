package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.adapter.ClusterMessageType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cluster messages ({@code {uid, nsp, type, data}}) as Redis stream entries, as
 * {@code @socket.io/redis-streams-adapter} 0.3 writes them: fields {@code uid}, {@code nsp},
 * {@code type} (a decimal string) and {@code data}, the JSON of the message's data, or the base64
 * of its msgpack when it may carry binary and does.
 *
 * <p>wsk adds a field {@code seq}, the writing node's count of its own entries: a write that
 * Redis took but whose answer was lost with the connection is written again after it, and
 * readers drop the copy ({@link DuplicateEntries}). The reference ignores fields it does not know.
 */
final class StreamMessages {

    static final String UID = "uid";
    static final String NSP = "nsp";
    static final String TYPE = "type";
    static final String DATA = "data";
    static final String SEQ = "seq";

    private StreamMessages() {
    }

    /** The entry's fields for {@code message} (uid, nsp and type set), numbered {@code seq}. */
    static Map<byte[], byte[]> encode(ObjectNode message, long seq) {
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        put(fields, UID, message.path(UID).asText());
        put(fields, NSP, message.path(NSP).asText());
        put(fields, TYPE, Integer.toString(message.path(TYPE).asInt()));
        JsonNode data = message.get(DATA);
        if (data != null && !data.isNull()) {
            ClusterMessageType type = ClusterMessageType.fromWire(message.path(TYPE).asInt());
            if (type != null && type.mayCarryBinary() && BinaryValues.in(data)) {
                put(fields, DATA, Base64.getEncoder().encodeToString(Notepack.encode(data)));
            } else {
                try {
                    fields.put(bytes(DATA), RedisAdapter.JSON.writeValueAsBytes(data));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        put(fields, SEQ, Long.toString(seq));
        return fields;
    }

    /**
     * The message an entry holds, or {@code null} for an entry that is not one (no namespace:
     * someone else's entry on the stream, which the reference skips too).
     *
     * @throws IOException for fields that do not parse: a malformed or forged entry
     */
    static ObjectNode decode(Map<String, String> fields) throws IOException {
        String nsp = fields.get(NSP);
        if (nsp == null) {
            return null;
        }
        String type = fields.get(TYPE);
        int wireType;
        try {
            wireType = Integer.parseInt(type == null ? "" : type);
        } catch (NumberFormatException e) {
            throw new IOException("type is not a number: " + abbreviate(type));
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode()
                .put(UID, fields.getOrDefault(UID, "")).put(NSP, nsp).put(TYPE, wireType);
        String data = fields.get(DATA);
        if (data != null && !data.isEmpty()) {
            message.set(DATA, data.startsWith("{") ? RedisAdapter.JSON.readTree(data) : msgpack(data));
        }
        return message;
    }

    /** The writer's {@code seq}, or -1 when the entry has none (a Node node's). */
    static long seq(Map<String, String> fields) {
        String seq = fields.get(SEQ);
        if (seq == null) {
            return -1;
        }
        try {
            return Long.parseLong(seq);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static JsonNode msgpack(String base64) throws IOException {
        try {
            return Notepack.decode(Base64.getDecoder().decode(base64));
        } catch (RuntimeException e) {
            // not base64, or msgpack-core's unchecked exceptions for bytes no msgpack value starts with
            throw new IOException("data is neither JSON nor base64 msgpack");
        }
    }

    /** Field names and values as text (Lettuce hands them over as bytes). */
    static Map<String, String> text(Map<byte[], byte[]> body) {
        Map<String, String> fields = new LinkedHashMap<>();
        body.forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8),
                value == null ? null : new String(value, StandardCharsets.UTF_8)));
        return fields;
    }

    private static void put(Map<byte[], byte[]> fields, String name, String value) {
        fields.put(bytes(name), bytes(value));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "none" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
