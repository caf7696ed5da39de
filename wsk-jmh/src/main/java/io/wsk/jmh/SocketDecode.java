package io.wsk.jmh;

import io.netty.buffer.ByteBuf;
import io.wsk.protocol.PacketParseException;
import io.wsk.protocol.SocketPacket;
import io.wsk.protocol.SocketPacketDecoder;
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

import java.util.concurrent.TimeUnit;

/**
 * Socket.IO decode: the data of an Engine.IO text message into a {@link SocketPacket} whose
 * arguments are a Jackson tree, as {@code Client} does for every inbound message. The input is a
 * slice past the type digit, as {@code EnginePacketDecoder} hands it on, in heap or direct memory
 * (Netty reads sockets into direct buffers). The decoder leaves the input's indexes alone, so the
 * same bytes are decoded again on every call.
 *
 * <p>Each method returns the decoded packet (JMH consumes it, so the tree must be built).
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.ALLOCATOR_CACHE, Jvm.G1, Jvm.HEAP_MIN, Jvm.HEAP_MAX})
public class SocketDecode {

    @Param({"DIRECT", "HEAP"})
    public Memory memory;

    /** One per connection in the server; stateful between a binary header and its attachments. */
    private SocketPacketDecoder decoder;
    private ByteBuf chat;
    private ByteBuf order;
    private ByteBuf binaryHeader;
    private ByteBuf attachment;

    @Setup
    public void setup() {
        decoder = new SocketPacketDecoder(Payloads.MAPPER, SocketPacketDecoder.DEFAULT_MAX_ATTACHMENTS);
        chat = Payloads.messageData(memory, Payloads.CHAT);
        order = Payloads.messageData(memory, Payloads.ORDER);
        binaryHeader = Payloads.messageData(memory, Payloads.BINARY_HEADER);
        attachment = memory.copyOf(Payloads.ATTACHMENT);
    }

    @TearDown
    public void tearDown() {
        chat.release();
        order.release();
        binaryHeader.release();
        attachment.release();
    }

    /** {@code 2["m","<100 chars>"]}. */
    @Benchmark
    public SocketPacket chat() throws PacketParseException {
        return decoder.decodeText(chat);
    }

    /** {@code 21042["order:update",{10 fields}]}. */
    @Benchmark
    public SocketPacket order() throws PacketParseException {
        return decoder.decodeText(order);
    }

    /**
     * Binary reconstruction: the header {@code 51-[...,{"_placeholder":true,"num":0}]}, then the
     * 1 KiB attachment, which the decoder puts in the placeholder's place.
     */
    @Benchmark
    public SocketPacket binary() throws PacketParseException {
        if (decoder.decodeText(binaryHeader) != null) {
            throw new IllegalStateException("a binary header completed a packet");
        }
        return decoder.decodeBinary(attachment);
    }
}
