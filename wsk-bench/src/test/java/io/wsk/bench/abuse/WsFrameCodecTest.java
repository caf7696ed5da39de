package io.wsk.bench.abuse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class WsFrameCodecTest {

    /** Every length encoding (7-bit, 16-bit, 64-bit) comes back intact through the reader, which unmasks. */
    @Test
    void maskedFramesOfEachLengthEncodingReadBack() throws Exception {
        for (int length : new int[]{0, 125, 126, 65535, 65536, 999_000}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) 'q');
            byte[] frame = WsFrameCodec.encode(WsFrame.BINARY, payload);
            assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
            WsFrame read = WsFrameCodec.read(new DataInputStream(new ByteArrayInputStream(frame)));
            assertThat(read.opcode()).isEqualTo(WsFrame.BINARY);
            assertThat(read.payload()).isEqualTo(payload);
        }
    }

    @Test
    void fragmentsAreJoined() throws Exception {
        // Unmasked server frames: "4" (text, not final), then "2" (continuation, final).
        byte[] frames = {0x01, 1, '4', (byte) 0x80, 1, '2'};
        WsFrame read = WsFrameCodec.read(new DataInputStream(new ByteArrayInputStream(frames)));
        assertThat(read.text()).isEqualTo("42");
        assertThat(read.isText()).isTrue();
    }
}
