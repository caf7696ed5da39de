package io.wsk.bench;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the scenarios need out of the frames the bench handlers send back, straight from the
 * bytes: the generator handles over a million frames a second on one core and must stay far
 * cheaper than the server it measures, so no strings and no JSON tree per frame.
 *
 * <p>{@link #of} copies the frame into an array of the calling thread once, and the fields are read
 * from that array. Reading them byte by byte from the {@link ByteBuf} checked bounds and the
 * buffer's reference count on every byte: that was 23 % of the generator's core in a fan-out run.
 * The view is valid until the same thread calls {@link #of} again.
 */
final class FrameFields {

    private static final FastThreadLocal<FrameFields> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected FrameFields initialValue() {
            return new FrameFields();
        }
    };

    private byte[] bytes = new byte[256];
    private int length;

    private FrameFields() {
    }

    /** The bytes of {@code text} (ASCII), for {@link #startsWith} and {@link #number}. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** This thread's view of {@code frame}'s readable bytes. */
    static FrameFields of(ByteBuf frame) {
        FrameFields fields = PER_THREAD.get();
        int readable = frame.readableBytes();
        if (fields.bytes.length < readable) {
            fields.bytes = new byte[Math.max(readable, fields.bytes.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), fields.bytes, 0, readable);
        fields.length = readable;
        return fields;
    }

    boolean startsWith(byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The non-negative integer right after the first {@code key} (e.g. {@code "t":}), or -1 when
     * the key is absent or no digit follows it. Starts looking {@code from} bytes into the frame.
     */
    long number(byte[] key, int from) {
        int last = length - key.length;
        outer:
        for (int at = from; at <= last; at++) {
            for (int i = 0; i < key.length; i++) {
                if (bytes[at + i] != key[i]) {
                    continue outer;
                }
            }
            return digitsAt(at + key.length);
        }
        return -1;
    }

    /** The ack id of a Socket.IO ACK frame {@code 43<id>[...]}, or -1 when it is not one. */
    long ackId() {
        if (length < 3 || bytes[0] != '4' || bytes[1] != '3') {
            return -1;
        }
        return digitsAt(2);
    }

    private long digitsAt(int from) {
        long value = 0;
        int i = from;
        for (; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return i > from ? value : -1;
    }
}
