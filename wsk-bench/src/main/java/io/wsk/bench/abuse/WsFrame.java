package io.wsk.bench.abuse;

import java.nio.charset.StandardCharsets;

/** One WebSocket message as the server sent it (fragments already joined). */
record WsFrame(int opcode, byte[] payload) {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    boolean isText() {
        return opcode == TEXT;
    }

    String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Whether the payload starts with the ASCII {@code prefix}, without decoding all of it. */
    boolean startsWith(String prefix) {
        if (payload.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (payload[i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The status code of a close frame, or -1 when it carries none. */
    int closeCode() {
        return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }
}
