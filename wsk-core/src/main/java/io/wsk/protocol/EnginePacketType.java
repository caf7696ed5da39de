package io.wsk.protocol;

/**
 * The seven Engine.IO v4 packet types. On the wire a text packet starts with the type's digit.
 */
public enum EnginePacketType {
    OPEN,
    CLOSE,
    PING,
    PONG,
    MESSAGE,
    UPGRADE,
    NOOP;

    private static final EnginePacketType[] BY_DIGIT = values();

    /** The ASCII digit that starts a text packet of this type. */
    public byte digit() {
        return (byte) ('0' + ordinal());
    }

    /** The type whose digit is {@code b}, or {@code null} when {@code b} is not a packet type digit. */
    public static EnginePacketType fromDigit(int b) {
        int index = b - '0';
        return index >= 0 && index < BY_DIGIT.length ? BY_DIGIT[index] : null;
    }
}
