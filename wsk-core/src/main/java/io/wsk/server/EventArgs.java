package io.wsk.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The arguments of an event or an acknowledgement, as the client sent them. Binary arguments
 * (anywhere in the tree) are {@link com.fasterxml.jackson.databind.node.BinaryNode}s.
 * Typed access converts through the server's Jackson {@link ObjectMapper}.
 */
public final class EventArgs {

    private final ArrayNode args;
    private final ObjectMapper mapper;

    EventArgs(ArrayNode args, ObjectMapper mapper) {
        this.args = args;
        this.mapper = mapper;
    }

    public int size() {
        return args.size();
    }

    public boolean isEmpty() {
        return args.isEmpty();
    }

    /** Argument {@code index} as a JSON tree, or {@code null} when there is none. */
    public JsonNode node(int index) {
        return args.get(index);
    }

    /** Argument {@code index} converted to {@code type} (a POJO, record, String, Integer, Map, ...). */
    public <T> T get(int index, Class<T> type) {
        JsonNode node = args.get(index);
        return node == null ? null : convert(node, type);
    }

    public <T> T get(int index, TypeReference<T> type) {
        JsonNode node = args.get(index);
        return node == null ? null : mapper.convertValue(node, type);
    }

    /** Argument {@code index} as text, or {@code null} when it is not a string. */
    public String string(int index) {
        JsonNode node = args.get(index);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Argument {@code index} as bytes, or {@code null} when it is not binary. */
    public byte[] bytes(int index) {
        JsonNode node = args.get(index);
        if (node == null || !node.isBinary()) {
            return null;
        }
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All arguments, as the array that carried them (do not modify). */
    public ArrayNode asArray() {
        return args;
    }

    /** The arguments as values for re-sending ({@code emit(event, args.toArray())}). */
    public Object[] toArray() {
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = args.get(i);
        }
        return values;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        if (type.isInstance(node)) {
            return type.cast(node);
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("argument cannot be read as " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return args.toString();
    }
}
