package io.wsk.engine;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session ids as the reference server shapes them: 15 bytes (12 random, then a 3-byte sequence
 * number) in URL-safe base64, always 20 characters. The length matters: the sharded Redis adapter
 * treats a 20-character room name as a socket id. The random part makes ids unguessable.
 * Socket.IO socket ids and recovery ids come from here too.
 */
public final class SessionIdGenerator {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private SessionIdGenerator() {
    }

    public static String next() {
        byte[] id = new byte[15];
        RANDOM.get().nextBytes(id);
        int sequence = SEQUENCE.getAndIncrement();
        id[12] = (byte) (sequence >>> 16);
        id[13] = (byte) (sequence >>> 8);
        id[14] = (byte) sequence;
        return ENCODER.encodeToString(id);
    }
}
