package io.wsk.jmh;

import io.wsk.protocol.EngineFrame;

import java.lang.reflect.Field;

/**
 * The server's own WebSocket framing ({@code io.wsk.engine.WebSocketFraming}, package-private),
 * so that the benchmarks measure what {@code WebSocketTransport} really writes rather than a copy
 * of it. Found by reflection once; {@code BenchmarksTest} fails if it moves.
 */
final class WebSocketWire {

    static final String CLASS = "io.wsk.engine.WebSocketFraming";

    static final EngineFrame.Framing FRAMING = find();

    private WebSocketWire() {
    }

    private static EngineFrame.Framing find() {
        try {
            Field instance = Class.forName(CLASS).getDeclaredField("INSTANCE");
            instance.setAccessible(true);
            return (EngineFrame.Framing) instance.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the benchmarks frame WebSocket packets with " + CLASS
                    + ".INSTANCE, as WebSocketTransport does; update WebSocketWire if it moved", e);
        }
    }
}
