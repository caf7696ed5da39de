package io.wsk.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * What comes before the JSON of a Socket.IO text packet (protocol.md 2.2):
 * {@code <type>[<attachments>-][<nsp>,][<ack id>]}, read as the reference parser reads it.
 *
 * @param type         the type as sent, BINARY_* included
 * @param attachments  the announced attachments of a binary packet (at least 1), else 0
 * @param nsp          the namespace, {@code "/"} when absent
 * @param id           the ack id, or {@link SocketPacket#NO_ID}
 * @param payloadIndex where the JSON payload starts; the end of the input when there is none
 */
record TextPacketHeader(SocketPacketType type, int attachments, String nsp, long id, int payloadIndex) {

    /** Reads the header of the packet in {@code buf[start, end)}. */
    static TextPacketHeader read(ByteBuf buf, int start, int end, int maxAttachments) throws PacketParseException {
        if (start == end) {
            throw new PacketParseException("empty packet");
        }
        SocketPacketType type = SocketPacketType.fromDigit(buf.getByte(start));
        if (type == null) {
            throw new PacketParseException("unknown packet type");
        }
        int i = start + 1;

        int attachments = 0;
        if (type != type.plain()) {
            int digits = i;
            while (i < end && isDigit(buf.getByte(i))) {
                attachments = attachments * 10 + buf.getByte(i) - '0';
                if (attachments > maxAttachments) {
                    throw new PacketParseException("too many attachments (max " + maxAttachments + ")");
                }
                i++;
            }
            // "0-" too: the reference parser (4.2.7) rejects it, and no encoder writes it
            if (i == digits || i == end || buf.getByte(i) != '-' || attachments == 0) {
                throw new PacketParseException("illegal attachments count");
            }
            i++;
        }

        // the namespace is there only if a '/' comes first, and runs to a ',' or the end
        String nsp = "/";
        if (i < end && buf.getByte(i) == '/') {
            int comma = buf.indexOf(i, end, (byte) ',');
            int nspEnd = comma < 0 ? end : comma;
            nsp = buf.toString(i, nspEnd - i, StandardCharsets.UTF_8);
            i = comma < 0 ? end : comma + 1;
        }

        long id = SocketPacket.NO_ID;
        if (i < end && isDigit(buf.getByte(i))) {
            id = 0;
            while (i < end && isDigit(buf.getByte(i))) {
                int digit = buf.getByte(i) - '0';
                if (id > (Long.MAX_VALUE - digit) / 10) {
                    throw new PacketParseException("ack id too large");
                }
                id = id * 10 + digit;
                i++;
            }
        }
        return new TextPacketHeader(type, attachments, nsp, id, i);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
