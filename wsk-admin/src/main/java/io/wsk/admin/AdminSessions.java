package io.wsk.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * The admin UI's sessions: after a login the UI gets a session id, keeps it, and shows it
 * instead of the password when it reconnects (to this node or another one).
 *
 * <p>The reference keeps ids in a store, which a cluster must share (its Redis store). Here an id
 * is signed instead: {@code <expiry>.<nonce>.<HMAC-SHA256 of both>}, with a key every node
 * derives from the same credentials. Any node checks any node's sessions without a store, and
 * nothing grows with the number of logins. An id is valid for {@link #LIFETIME_SECONDS}.
 */
final class AdminSessions {

    static final long LIFETIME_SECONDS = 24 * 3600;

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Clock clock;

    AdminSessions(byte[] key) {
        this(key, Clock.systemUTC());
    }

    AdminSessions(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.clock = clock;
    }

    String issue() {
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String body = Long.toString(clock.instant().getEpochSecond() + LIFETIME_SECONDS, 36) + "." + HEX.formatHex(nonce);
        return body + "." + HEX.formatHex(mac(body));
    }

    boolean isValid(String id) {
        if (id == null || id.length() > 100) {
            return false;
        }
        int last = id.lastIndexOf('.');
        int first = id.indexOf('.');
        if (first <= 0 || last == first) {
            return false;
        }
        String body = id.substring(0, last);
        byte[] given;
        try {
            given = HEX.parseHex(id.substring(last + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!MessageDigest.isEqual(given, mac(body))) {
            return false;
        }
        try {
            return Long.parseLong(id.substring(0, first), 36) >= clock.instant().getEpochSecond();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            byte[] half = new byte[16];
            System.arraycopy(full, 0, half, 0, 16);
            return half;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
