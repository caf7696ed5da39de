package io.wsk.protocol;

/** Input that does not follow the packet grammar. The connection that sent it is closed. */
public final class PacketParseException extends Exception {

    public PacketParseException(String message) {
        super(message, null, false, false);
    }
}
