package io.wsk.bench.abuse;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 framing written by hand for the abusive clients: client frames are masked (a server
 * must refuse unmasked ones), server frames are read as they come. Deliberately independent of
 * Netty's and the server's codecs, so a codec bug cannot hide on both sides.
 */
final class WsFrameCodec {

    /** The largest server message the clients accept; the server's own limit is 1,000,000 bytes. */
    static final int MAX_MESSAGE = 64 << 20;

    private WsFrameCodec() {
    }

    /** A complete, final, masked client frame. */
    static byte[] encode(int opcode, byte[] payload) {
        int length = payload.length;
        int headerLength = 2 + (length < 126 ? 0 : length < 65536 ? 2 : 8) + 4;
        byte[] frame = new byte[headerLength + length];
        frame[0] = (byte) (0x80 | opcode);
        int at = 2;
        if (length < 126) {
            frame[1] = (byte) (0x80 | length);
        } else if (length < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[at++] = (byte) (length >>> 8);
            frame[at++] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[at++] = (byte) ((long) length >>> shift);
            }
        }
        int key = ThreadLocalRandom.current().nextInt();
        byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        System.arraycopy(mask, 0, frame, at, 4);
        at += 4;
        for (int i = 0; i < length; i++) {
            frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    /**
     * The next message from the server: control frames as they come, data frames with their
     * continuations joined. {@code null} at a clean end of stream between frames.
     */
    static WsFrame read(DataInputStream in) throws IOException {
        ByteArrayOutputStream fragments = null;
        int messageOpcode = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                if (fragments == null) {
                    return null;
                }
                throw new EOFException("end of stream inside a fragmented message");
            }
            int second = in.readUnsignedByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = null;
            if ((second & 0x80) != 0) { // servers do not mask; read it anyway rather than desync
                mask = new byte[4];
                in.readFully(mask);
            }
            if (length > MAX_MESSAGE) {
                throw new IOException("server frame of " + length + " bytes");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            if (opcode >= 0x8) {
                return new WsFrame(opcode, payload);
            }
            if (fin && fragments == null) {
                return new WsFrame(opcode, payload);
            }
            if (fragments == null) {
                fragments = new ByteArrayOutputStream();
                messageOpcode = opcode;
            }
            fragments.write(payload);
            if (fragments.size() > MAX_MESSAGE) {
                throw new IOException("fragmented server message above " + MAX_MESSAGE + " bytes");
            }
            if (fin) {
                return new WsFrame(messageOpcode, fragments.toByteArray());
            }
        }
    }
}
