package io.wsk.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wsk.protocol.EncodedPacket;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.PollingPayloadEncoder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Engine.IO encode: a text message frame from a string ({@link EngineFrame#message}, what
 * {@code EngineSession.send(String)} does), the same with its WebSocket wire bytes made
 * ({@link EngineFrame#framed}, what {@code WebSocketTransport} writes), and the body of a polling
 * response from queued frames ({@link PollingPayloadEncoder}). The frames of the polling payloads are encoded once in setup,
 * as the server's broadcasts are; only the payload is measured. Results are released, as the
 * transport's write does.
 *
 * <p>Each method returns the encoded size, so {@code BenchmarksTest} can check it.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})
public class EngineEncode {

    private ByteBufAllocator alloc;
    private String chatText;
    private List<EncodedPacket> packets;
    /** Ten chat events, in a queue as a session's buffer holds them. */
    private Collection<EngineFrame> frames;
    /** The binary event: its text frame and its 1 KiB binary frame. */
    private Collection<EngineFrame> binaryFrames;

    @Setup
    public void setup() {
        alloc = ByteBufAllocator.DEFAULT;
        chatText = Payloads.CHAT;
        SocketPacketEncoder encoder = new SocketPacketEncoder(Payloads.MAPPER);
        packets = new ArrayList<>();
        frames = new ArrayDeque<>();
        for (int i = 0; i < Payloads.POLLING_PACKETS; i++) {
            EncodedPacket packet = encoder.encode(Payloads.chatPacket(i), alloc);
            packets.add(packet);
            frames.addAll(packet.frames());
        }
        EncodedPacket binary = encoder.encode(Payloads.binaryPacket(), alloc);
        packets.add(binary);
        binaryFrames = new ArrayDeque<>(binary.frames());
    }

    @TearDown
    public void tearDown() {
        packets.forEach(EncodedPacket::release);
    }

    /** {@code 42["m","<100 chars>"]} from a string. */
    @Benchmark
    public int messageFrame() {
        EngineFrame frame = EngineFrame.message(chatText, alloc);
        try {
            return frame.bytes().readableBytes();
        } finally {
            frame.release();
        }
    }

    /**
     * {@code 42["m","<100 chars>"]} from a string, then framed for WebSocket (header + a copy of
     * the payload; a frame is framed once, however many recipients it has).
     */
    @Benchmark
    public int webSocketFrame() {
        EngineFrame frame = EngineFrame.message(chatText, alloc);
        try {
            return frame.framed(WebSocketWire.FRAMING).readableBytes();
        } finally {
            frame.release();
        }
    }

    /** Ten chat events joined by the record separator. */
    @Benchmark
    public int pollingPayload() {
        return encodeAndRelease(frames);
    }

    /** The binary event: its text frame, then {@code b<base64 of 1 KiB>}. */
    @Benchmark
    public int pollingPayloadBinary() {
        return encodeAndRelease(binaryFrames);
    }

    private int encodeAndRelease(Collection<EngineFrame> queued) {
        ByteBuf payload = PollingPayloadEncoder.encode(queued, alloc);
        try {
            return payload.readableBytes();
        } finally {
            payload.release();
        }
    }
}
