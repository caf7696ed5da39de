package io.wsk.jmh;

import io.netty.buffer.ByteBuf;
import io.wsk.protocol.EnginePacketDecoder;
import io.wsk.protocol.EnginePacketType;
import io.wsk.protocol.InboundPacketHandler;
import io.wsk.protocol.PacketParseException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Engine.IO decode: a WebSocket text frame, or a polling request body split at its record
 * separators, into the packets handed to the session ({@link EnginePacketDecoder}). The handler
 * gives every packet's data to a {@link Blackhole}, as the session would keep going with it. The
 * decoder leaves the input's indexes alone, so the same bytes are decoded again on every call.
 *
 * <p>Each method returns how many data bytes were handed on, so {@code BenchmarksTest} can check it.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})
public class EngineDecode {

    @Param({"DIRECT", "HEAP"})
    public Memory memory;

    private ByteBuf frame;
    private ByteBuf payload;
    private ByteBuf binaryPayload;

    private Blackhole bh;
    private int bytes;
    private final InboundPacketHandler handler = this::onPacket;

    @Setup
    public void setup() {
        frame = memory.copyOf(Payloads.frame(Payloads.CHAT));
        payload = memory.copyOf(Payloads.pollingPayload());
        binaryPayload = memory.copyOf(Payloads.pollingBinaryPayload());
    }

    @TearDown
    public void tearDown() {
        frame.release();
        payload.release();
        binaryPayload.release();
    }

    private void onPacket(EnginePacketType type, ByteBuf data, boolean binary) {
        bytes += data.readableBytes();
        bh.consume(type);
        bh.consume(data);
    }

    /** One WebSocket text frame, {@code 42["m","<100 chars>"]}. */
    @Benchmark
    public int webSocketFrame(Blackhole bh) throws PacketParseException {
        this.bh = bh;
        bytes = 0;
        EnginePacketDecoder.decodeText(frame, handler);
        return bytes;
    }

    /** A polling body of 10 chat events. */
    @Benchmark
    public int pollingPayload(Blackhole bh) throws PacketParseException {
        this.bh = bh;
        bytes = 0;
        EnginePacketDecoder.decodePayload(payload, handler);
        return bytes;
    }

    /** A polling body with the binary event: its header, then {@code b<base64 of 1 KiB>}. */
    @Benchmark
    public int pollingPayloadBinary(Blackhole bh) throws PacketParseException {
        this.bh = bh;
        bytes = 0;
        EnginePacketDecoder.decodePayload(binaryPayload, handler);
        return bytes;
    }
}
