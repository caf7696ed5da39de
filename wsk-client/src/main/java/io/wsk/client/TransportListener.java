package io.wsk.client;

import io.netty.buffer.ByteBuf;
import io.wsk.protocol.EnginePacketType;

/** What a transport reports to its owner, always on the client's I/O thread. */
interface TransportListener {

    /** The transport can carry packets (a WebSocket after its handshake; polling: at once). */
    void onTransportOpen(Transport transport);

    /** One Engine.IO packet; {@code data} is valid during the call only. */
    void onPacket(Transport transport, EnginePacketType type, ByteBuf data, boolean binary);

    /** Everything given to {@link Transport#send} was written; it may take more. */
    void onDrain(Transport transport);

    /** The transport failed or was closed by the peer; it is closed now. {@code cause} may be null. */
    void onTransportClose(Transport transport, String reason, Throwable cause);
}
