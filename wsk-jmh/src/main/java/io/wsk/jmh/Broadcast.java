package io.wsk.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Socket.IO encode on the broadcast path: one chat event to {@code recipients} WebSocket clients.
 *
 * <p>{@link #encodeOnce} is what the server does ({@code InMemoryAdapter.broadcast}): encode once,
 * then per recipient only what the session and the WebSocket transport do with the shared frames,
 * as {@code EngineSession.send} and {@code WebSocketTransport.wireBytes} do: retain the frame,
 * take a retained duplicate of its WebSocket wire bytes (framed once, by the first recipient, with
 * the server's own framing), release the frame. Writing to the socket is left out; the duplicate
 * is released as Netty does once it is written. {@link #encodeEach} encodes (and so frames) once
 * per recipient, for comparison: the difference is what reusing the encode result saves.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})
public class Broadcast {

    @Param("100")
    public int recipients;

    private SocketPacketEncoder encoder;
    private ByteBufAllocator alloc;
    private SocketPacket chat;

    @Setup
    public void setup() {
        encoder = new SocketPacketEncoder(Payloads.MAPPER);
        alloc = ByteBufAllocator.DEFAULT;
        chat = Payloads.chatPacket();
    }

    /** Encodes once and hands the same frames to every recipient; returns the wire bytes handed out. */
    @Benchmark
    public int encodeOnce(Blackhole bh) {
        EncodedPacket encoded = encoder.encode(chat, alloc);
        try {
            int bytes = 0;
            for (int i = 0; i < recipients; i++) {
                bytes += deliver(encoded, bh);
            }
            return bytes;
        } finally {
            encoded.release();
        }
    }

    /** Encodes anew for every recipient; returns the wire bytes handed out. */
    @Benchmark
    public int encodeEach(Blackhole bh) {
        int bytes = 0;
        for (int i = 0; i < recipients; i++) {
            EncodedPacket encoded = encoder.encode(chat, alloc);
            try {
                bytes += deliver(encoded, bh);
            } finally {
                encoded.release();
            }
        }
        return bytes;
    }

    /** One recipient's share: the session retains the frames, the transport writes their wire bytes. */
    private static int deliver(EncodedPacket encoded, Blackhole bh) {
        int bytes = 0;
        for (EngineFrame frame : encoded.frames()) {
            frame.retain();
            ByteBuf wire = frame.framed(WebSocketWire.FRAMING).retainedDuplicate();
            frame.release();
            bytes += wire.readableBytes();
            bh.consume(wire);
            wire.release(); // what Netty does once the bytes are written
        }
        return bytes;
    }
}
