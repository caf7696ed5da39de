package io.wsk.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the scenarios need out of the frames the bench handlers send back, straight from the
 * bytes: the generator handles hundreds of thousands of frames a second on one core and must stay
 * far cheaper than the server it measures, so no strings and no JSON tree per frame.
 */
final class FrameFields {

    private FrameFields() {
    }

    /** The bytes of {@code text} (ASCII), for {@link #startsWith} and {@link #number}. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsWith(ByteBuf frame, byte[] prefix) {
        int from = frame.readerIndex();
        if (frame.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (frame.getByte(from + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The non-negative integer right after the first {@code key} (e.g. {@code "t":}), or -1 when
     * the key is absent. Starts looking at {@code from} bytes into the frame.
     */
    static long number(ByteBuf frame, byte[] key, int from) {
        int start = frame.readerIndex() + from;
        int end = frame.writerIndex() - key.length;
        outer:
        for (int at = start; at <= end; at++) {
            for (int i = 0; i < key.length; i++) {
                if (frame.getByte(at + i) != key[i]) {
                    continue outer;
                }
            }
            long value = 0;
            boolean digits = false;
            for (int i = at + key.length; i < frame.writerIndex(); i++) {
                byte b = frame.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits = true;
            }
            return digits ? value : -1;
        }
        return -1;
    }

    /** The ack id of a Socket.IO ACK frame {@code 43<id>[...]}, or -1 when it is not one. */
    static long ackId(ByteBuf frame) {
        int from = frame.readerIndex();
        if (frame.readableBytes() < 3 || frame.getByte(from) != '4' || frame.getByte(from + 1) != '3') {
            return -1;
        }
        long value = 0;
        boolean digits = false;
        for (int i = from + 2; i < frame.writerIndex(); i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            digits = true;
        }
        return digits ? value : -1;
    }
}
