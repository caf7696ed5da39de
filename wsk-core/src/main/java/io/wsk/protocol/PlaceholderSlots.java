package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Where the placeholders of a binary packet sit in its decoded tree, so that the attachments can
 * be put in their place when they arrive, without walking the tree again.
 *
 * <p>A placeholder is an object whose {@code _placeholder} is {@code true} (other keys ignored,
 * as the reference parser does); its {@code num} must be an integer naming one of the announced
 * attachments. Once the header is read, {@link #check()} rejects it if a number is not valid, or
 * if some attachment is named by no placeholder: a client's encoder never sends one, and it would
 * only be memory held for nothing. Both are checked before any attachment is accepted.
 *
 * <p>Several placeholders may name the same attachment; they then share one {@link BinaryNode},
 * so references cost no copy of the bytes.
 */
final class PlaceholderSlots {

    private static final String PLACEHOLDER = "_placeholder";
    private static final String NUM = "num";

    /** A placeholder's position: element {@code index} of an array, or field {@code field} of an object. */
    private record Slot(ContainerNode<?> parent, String field, int index, ObjectNode placeholder) {

        /** False when a later duplicate key replaced the placeholder (JSON keeps the last value). */
        boolean isLive() {
            return field == null || parent.get(field) == placeholder;
        }

        void fill(BinaryNode value) {
            if (field == null) {
                ((ArrayNode) parent).set(index, value);
            } else {
                ((ObjectNode) parent).set(field, value);
            }
        }
    }

    private final int attachments;
    private final List<Slot> slots = new ArrayList<>(2);

    PlaceholderSlots(int attachments) {
        this.attachments = attachments;
    }

    int attachments() {
        return attachments;
    }

    static boolean isPlaceholder(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return false;
        }
        JsonNode flag = object.get(PLACEHOLDER);
        return flag != null && flag.isBoolean() && flag.booleanValue();
    }

    /** Where recording stands, taken before reading a value that may turn out to be a placeholder. */
    int mark() {
        return slots.size();
    }

    /**
     * Records the placeholder just read as element {@code index} of {@code parent}.
     * {@code mark} is {@link #mark()} from before reading it: anything recorded inside the
     * placeholder object is dropped, since the attachment replaces the whole object.
     */
    void addElement(ArrayNode parent, int index, ObjectNode placeholder, int mark) {
        add(new Slot(parent, null, index, placeholder), mark);
    }

    /** As {@link #addElement}, for the value of field {@code field} of {@code parent}. */
    void addField(ObjectNode parent, String field, ObjectNode placeholder, int mark) {
        add(new Slot(parent, field, -1, placeholder), mark);
    }

    private void add(Slot slot, int mark) {
        slots.subList(mark, slots.size()).clear();
        slots.add(slot);
    }

    private int num(ObjectNode placeholder) throws PacketParseException {
        JsonNode num = placeholder.get(NUM);
        if (num == null || !num.isIntegralNumber() || !num.canConvertToInt()) {
            throw new PacketParseException("placeholder without an integer num");
        }
        int value = num.intValue();
        if (value < 0 || value >= attachments) {
            throw new PacketParseException("placeholder num " + value + " out of range: "
                    + attachments + " attachments announced");
        }
        return value;
    }

    /**
     * Fails unless every placeholder left in the tree names an announced attachment and every
     * attachment is named at least once.
     */
    void check() throws PacketParseException {
        BitSet named = new BitSet(attachments);
        for (Slot slot : slots) {
            if (slot.isLive()) {
                named.set(num(slot.placeholder()));
            }
        }
        int count = named.cardinality();
        if (count != attachments) {
            throw new PacketParseException(attachments + " attachments announced but placeholders name "
                    + count);
        }
    }

    /**
     * Puts {@code data[num]} in the place of every placeholder, after a successful {@link #check()};
     * the arrays are used as they are.
     */
    void fill(byte[][] data) throws PacketParseException {
        BinaryNode[] values = new BinaryNode[data.length];
        for (Slot slot : slots) {
            if (!slot.isLive()) {
                continue;
            }
            int num = num(slot.placeholder());
            if (values[num] == null) {
                values[num] = BinaryNode.valueOf(data[num]);
            }
            slot.fill(values[num]);
        }
    }
}
