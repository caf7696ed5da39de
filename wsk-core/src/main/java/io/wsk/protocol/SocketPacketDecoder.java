package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;


/**
 * Decodes the Socket.IO v5 packets one connection receives (protocol.md 2.1 to 2.3). The header
 * grammar is read exactly as the reference parser ({@code socket.io-parser}) reads it, quirks
 * included ({@code 40/custom} has a namespace but no comma). The payload rules are the table of
 * protocol.md 2.1 applied strictly, which is stricter than the reference in one place: an EVENT,
 * ACK or CONNECT_ERROR without a payload is rejected, where the reference lets {@code 42} through
 * with no data at all. An empty message is rejected too (the reference reads it as a CONNECT).
 *
 * <p>A binary packet arrives as a text header with placeholders followed by its attachments as
 * separate binary messages, so the decoder keeps state between calls: one instance per
 * connection, used by one thread at a time. Any {@link PacketParseException} means the connection
 * must be closed; the decoder drops a half-received packet when it throws, so it is never left
 * in between.
 *
 * <p>Decoded packets always have the plain type, EVENT or ACK, never BINARY_*: the attachments
 * are {@link com.fasterxml.jackson.databind.node.BinaryNode}s in the tree, where the
 * placeholders were.
 */
public final class SocketPacketDecoder {

    /** The reference server's {@code maxAttachments}. */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;
    /** Nesting allowed in a JSON payload, counting the outer array as 1. */
    public static final int DEFAULT_MAX_DEPTH = 128;

    /** Event names a peer may not send (protocol.md 2.5). */

    private final PayloadReader reader;
    private final int maxAttachments;

    /** The binary packet waiting for attachments, or null. */
    private SocketPacket pending;
    private PlaceholderSlots pendingSlots;
    private byte[][] received;
    private int receivedCount;

    public SocketPacketDecoder(ObjectMapper mapper, int maxAttachments) {
        this(mapper, maxAttachments, DEFAULT_MAX_DEPTH);
    }

    /**
     * @param mapper         supplies the parser settings and node factory; payloads are read
     *                       into trees, never bound to classes
     * @param maxAttachments the most attachments a binary packet may announce
     * @param maxDepth       the deepest nesting of arrays and objects allowed in a payload
     */
    public SocketPacketDecoder(ObjectMapper mapper, int maxAttachments, int maxDepth) {
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("maxAttachments < 0: " + maxAttachments);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth < 1: " + maxDepth);
        }
        this.reader = new PayloadReader(mapper, maxDepth);
        this.maxAttachments = maxAttachments;
    }

    /**
     * A fresh decoder with the settings of {@code settings}, sharing its JSON reader (which is
     * immutable): a server decodes with one decoder per connection, and need not give each its
     * own copy of the same reader.
     */
    public SocketPacketDecoder(SocketPacketDecoder settings) {
        this.reader = settings.reader;
        this.maxAttachments = settings.maxAttachments;
    }

    /** True between the header of a binary packet and its last attachment. */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /**
     * Decodes the data of an Engine.IO text message, without the message type {@code 4}
     * ({@code 2["foo"]}). Reads the bytes in place and leaves the buffer's indexes alone.
     *
     * @return the packet, or {@code null} for the header of a binary packet whose attachments
     *         come next
     */
    public SocketPacket decodeText(ByteBuf utf8) throws PacketParseException {
        if (pending != null) {
            int missing = pendingSlots.attachments() - receivedCount;
            clearPending();
            throw new PacketParseException("text packet while " + missing + " attachments are expected");
        }
        return decodePacket(utf8, utf8.readerIndex(), utf8.writerIndex());
    }

    /**
     * Takes the data of an Engine.IO binary message: the next attachment of the pending binary
     * packet. The bytes are copied, {@code data} is not kept.
     *
     * @return the completed packet after its last attachment, else {@code null}
     */
    public SocketPacket decodeBinary(ByteBuf data) throws PacketParseException {
        if (pending == null) {
            throw new PacketParseException("binary message while no attachments are expected");
        }
        received[receivedCount++] = ByteBufUtil.getBytes(data);
        if (receivedCount < received.length) {
            return null;
        }
        SocketPacket packet = pending;
        pendingSlots.fill(received);
        clearPending();
        return packet;
    }

    private void clearPending() {
        pending = null;
        pendingSlots = null;
        received = null;
        receivedCount = 0;
    }

    private SocketPacket decodePacket(ByteBuf buf, int start, int end) throws PacketParseException {
        TextPacketHeader header = TextPacketHeader.read(buf, start, end, maxAttachments);
        int attachments = header.attachments();
        PlaceholderSlots slots = attachments > 0 ? new PlaceholderSlots(attachments) : null;
        int payload = header.payloadIndex();
        JsonNode data = payload < end ? reader.read(buf, payload, end - payload, slots) : null;
        SocketPacketType type = header.type().plain();
        checkPayload(type, data);
        SocketPacket packet = new SocketPacket(type, header.nsp(), header.id(), data);
        if (slots == null) {
            return packet;
        }
        slots.check();
        pending = packet;
        pendingSlots = slots;
        received = new byte[attachments][];
        return null;
    }

    /** The payload rules of protocol.md 2.1; {@code data} is null when the packet has none. */
    private static void checkPayload(SocketPacketType type, JsonNode data) throws PacketParseException {
        boolean valid = switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case EVENT -> isEventPayload(data);
            case ACK -> data != null && data.isArray();
            case CONNECT_ERROR -> data != null && (data.isObject() || data.isTextual());
            default -> false;
        };
        if (!valid) {
            throw new PacketParseException("invalid payload for " + type);
        }
    }

    /**
     * Whether {@code data} is a valid EVENT payload: an array whose first element is an event name
     * (a number, or a string that is not reserved). Clients refuse an EVENT packet with any other
     * payload and close their connection over it, so events that come from elsewhere (another
     * node, through an adapter) are checked with this before they are sent on to clients.
     */
    public static boolean isEventPayload(JsonNode data) {
        return data != null && data.isArray() && isEventName(data.get(0));
    }

    private static boolean isEventName(JsonNode first) {
        return first != null
                && (first.isNumber() || first.isTextual() && !ReservedEvents.EVENTS.contains(first.textValue()));
    }
}
