package io.wsk.protocol;

/** The seven Socket.IO v5 packet types; on the wire, the first digit of a Socket.IO packet. */
public enum SocketPacketType {
    CONNECT,
    DISCONNECT,
    EVENT,
    ACK,
    CONNECT_ERROR,
    BINARY_EVENT,
    BINARY_ACK;

    private static final SocketPacketType[] BY_DIGIT = values();

    public byte digit() {
        return (byte) ('0' + ordinal());
    }

    /** The type whose digit is {@code b}, or {@code null}. */
    public static SocketPacketType fromDigit(int b) {
        int index = b - '0';
        return index >= 0 && index < BY_DIGIT.length ? BY_DIGIT[index] : null;
    }

    /** EVENT for BINARY_EVENT, ACK for BINARY_ACK, else itself: the meaning, without the framing. */
    public SocketPacketType plain() {
        return switch (this) {
            case BINARY_EVENT -> EVENT;
            case BINARY_ACK -> ACK;
            default -> this;
        };
    }
}
