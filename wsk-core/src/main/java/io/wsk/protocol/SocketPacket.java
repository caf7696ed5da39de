package io.wsk.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet, or one to encode.
 *
 * <p>Binary data is held in the tree itself as {@link com.fasterxml.jackson.databind.node.BinaryNode}
 * leaves, wherever it sits in the arguments: the encoder turns them into placeholders plus
 * attachments, the decoder puts attachments back in their place. So callers only ever see
 * {@link SocketPacketType#EVENT} and {@link SocketPacketType#ACK}: the decoder reports binary
 * packets with their plain type, and the encoder picks the binary type when the data holds binary.
 *
 * @param type the packet type (decoded packets: never BINARY_*)
 * @param nsp  the namespace, {@code "/"} for the main one
 * @param id   the ack id, or {@link #NO_ID}
 * @param data the payload: CONNECT an object or null, DISCONNECT null, EVENT and ACK an array,
 *             CONNECT_ERROR an object (or a string from old peers)
 */
public record SocketPacket(SocketPacketType type, String nsp, long id, JsonNode data) {

    public static final long NO_ID = -1;

    public boolean hasId() {
        return id >= 0;
    }
}
