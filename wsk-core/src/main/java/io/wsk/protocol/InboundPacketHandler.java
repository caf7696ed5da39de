package io.wsk.protocol;

import io.netty.buffer.ByteBuf;

/** Receives decoded inbound Engine.IO packets, in wire order. */
@FunctionalInterface
public interface InboundPacketHandler {

    /**
     * One packet. {@code data} is the packet's data without the type digit (for a binary message,
     * the decoded bytes); it is valid only during the call, retain it to keep it.
     */
    void onPacket(EnginePacketType type, ByteBuf data, boolean binary);
}
