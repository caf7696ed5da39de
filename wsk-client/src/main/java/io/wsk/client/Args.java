package io.wsk.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The arguments of a received event or ack, as a JSON tree. Binary arguments (attachments) are
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}s where the sender put them; read them
 * with {@link #bytes(int)}. Immutable by convention: the same instance goes to every listener.
 */
public final class Args {

    private final ArrayNode values;
    private final ObjectMapper mapper;

    Args(ArrayNode values, ObjectMapper mapper) {
        this.values = values;
        this.mapper = mapper;
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Argument {@code index}, or null when there are fewer. */
    public JsonNode node(int index) {
        return values.get(index);
    }

    /** Argument {@code index} as a string when it is one, else null. */
    public String string(int index) {
        JsonNode node = values.get(index);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Argument {@code index} as bytes when it is binary, else null. */
    public byte[] bytes(int index) {
        JsonNode node = values.get(index);
        return node != null && node.isBinary() ? ((com.fasterxml.jackson.databind.node.BinaryNode) node).binaryValue() : null;
    }

    /** Argument {@code index} converted to {@code type} with Jackson. */
    public <T> T get(int index, Class<T> type) {
        JsonNode node = values.get(index);
        return node == null ? null : mapper.convertValue(node, type);
    }

    /** All arguments; callers must not change the array. */
    public ArrayNode asArray() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
