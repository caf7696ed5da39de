package io.wsk.jmh;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Socket.IO encode: a packet as the server holds it (a Jackson tree) into the Engine.IO frames that
 * carry it ({@link SocketPacketEncoder#encode}), with the server's allocator, released afterwards
 * as the server does once every recipient has its reference.
 *
 * <p>Each method returns the wire size of what it encoded, so the work cannot be dropped, and so
 * {@code BenchmarksTest} can check it.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})
public class SocketEncode {

    private SocketPacketEncoder encoder;
    private ByteBufAllocator alloc;
    private SocketPacket chat;
    private SocketPacket order;
    private SocketPacket binary;

    @Setup
    public void setup() {
        encoder = new SocketPacketEncoder(Payloads.MAPPER);
        alloc = ByteBufAllocator.DEFAULT;
        chat = Payloads.chatPacket();
        order = Payloads.orderPacket();
        binary = Payloads.binaryPacket();
    }

    /** {@code 42["m","<100 chars>"]}. */
    @Benchmark
    public int chat() {
        return encodeAndRelease(chat);
    }

    /** {@code 421042["order:update",{10 fields}]}. */
    @Benchmark
    public int order() {
        return encodeAndRelease(order);
    }

    /** {@code 451-["file","photo.jpg",{"_placeholder":true,"num":0}]} and a 1 KiB binary frame. */
    @Benchmark
    public int binary() {
        return encodeAndRelease(binary);
    }

    private int encodeAndRelease(SocketPacket packet) {
        EncodedPacket encoded = encoder.encode(packet, alloc);
        try {
            return wireSize(encoded);
        } finally {
            encoded.release();
        }
    }

    static int wireSize(EncodedPacket encoded) {
        int size = 0;
        for (EngineFrame frame : encoded.frames()) {
            size += frame.bytes().readableBytes();
        }
        return size;
    }
}
