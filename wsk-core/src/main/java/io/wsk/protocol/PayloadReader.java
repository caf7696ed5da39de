package io.wsk.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.util.concurrent.FastThreadLocal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the JSON payload of a Socket.IO packet into a tree, in one streaming pass that also
 * records where the placeholders of a binary packet are (see {@link PlaceholderSlots}).
 *
 * <p>The input comes from untrusted peers, so nesting is bounded well below Jackson's own limit
 * (1000): no legitimate event argument is that deep, and everything that later walks the tree,
 * Jackson's serializers included, recurses. Exactly one JSON value is allowed, as
 * {@code JSON.parse} requires.
 */
final class PayloadReader {

    /**
     * Payloads up to this size are parsed from a copy in a per-thread array. Jackson reads an
     * array in place, while a buffer without one (WebSocket frames are pooled direct memory)
     * needs an {@code InputStream} over a slice, a parser that copies through an 8 KB read
     * buffer of its own, and the objects of both: for a small event the copy is the cheap part.
     */
    static final int SCRATCH_BYTES = 8192;

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_BYTES];
        }
    };

    private final JsonFactory factory;
    private final JsonNodeFactory nodes;
    private final boolean bigDecimals;
    private final int maxDepth;

    PayloadReader(ObjectMapper mapper, int maxDepth) {
        this.factory = mapper.getFactory();
        this.nodes = mapper.getNodeFactory();
        this.bigDecimals = mapper.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.maxDepth = maxDepth;
    }

    /**
     * Reads the UTF-8 JSON at {@code buf[index, index + length)}. {@code slots} is null for a
     * packet that has no attachments: placeholders in it are then ordinary objects.
     */
    JsonNode read(ByteBuf buf, int index, int length, PlaceholderSlots slots) throws PacketParseException {
        try (JsonParser parser = createParser(buf, index, length)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new PacketParseException("invalid JSON payload: no value");
            }
            JsonNode value = readValue(parser, token, 0, slots);
            if (parser.nextToken() != null) {
                throw new PacketParseException("invalid JSON payload: more than one value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new PacketParseException("invalid JSON payload: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PacketParseException("invalid JSON payload: " + e.getMessage());
        }
    }

    private JsonParser createParser(ByteBuf buf, int index, int length) throws IOException {
        if (buf.hasArray()) {
            return factory.createParser(buf.array(), buf.arrayOffset() + index, length);
        }
        if (length <= SCRATCH_BYTES) {
            // The parse ends before read() returns, and nothing parses on this thread meanwhile.
            byte[] scratch = SCRATCH.get();
            buf.getBytes(index, scratch, 0, length);
            return factory.createParser(scratch, 0, length);
        }
        return factory.createParser((InputStream) new ByteBufInputStream(buf.slice(index, length)));
    }

    private JsonNode readValue(JsonParser parser, JsonToken token, int depth, PlaceholderSlots slots)
            throws IOException, PacketParseException {
        return switch (token) {
            case START_ARRAY -> readArray(parser, depth + 1, slots);
            case START_OBJECT -> readObject(parser, depth + 1, slots);
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> bigDecimals
                    ? nodes.numberNode(parser.getDecimalValue())
                    : nodes.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new PacketParseException("invalid JSON payload: unexpected " + token);
        };
    }

    private ArrayNode readArray(JsonParser parser, int depth, PlaceholderSlots slots)
            throws IOException, PacketParseException {
        checkDepth(depth);
        ArrayNode array = nodes.arrayNode();
        for (JsonToken token = next(parser); token != JsonToken.END_ARRAY; token = next(parser)) {
            int mark = slots == null ? 0 : slots.mark();
            JsonNode value = readValue(parser, token, depth, slots);
            if (slots != null && PlaceholderSlots.isPlaceholder(value)) {
                slots.addElement(array, array.size(), (ObjectNode) value, mark);
            }
            array.add(value);
        }
        return array;
    }

    private ObjectNode readObject(JsonParser parser, int depth, PlaceholderSlots slots)
            throws IOException, PacketParseException {
        checkDepth(depth);
        ObjectNode object = nodes.objectNode();
        for (JsonToken token = next(parser); token != JsonToken.END_OBJECT; token = next(parser)) {
            String field = parser.currentName();
            int mark = slots == null ? 0 : slots.mark();
            JsonNode value = readValue(parser, next(parser), depth, slots);
            object.set(field, value);
            if (slots != null && PlaceholderSlots.isPlaceholder(value)) {
                slots.addField(object, field, (ObjectNode) value, mark);
            }
        }
        return object;
    }

    private static JsonToken next(JsonParser parser) throws IOException, PacketParseException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new PacketParseException("invalid JSON payload: unexpected end");
        }
        return token;
    }

    private void checkDepth(int depth) throws PacketParseException {
        if (depth > maxDepth) {
            throw new PacketParseException("JSON payload nested deeper than " + maxDepth + " levels");
        }
    }
}
