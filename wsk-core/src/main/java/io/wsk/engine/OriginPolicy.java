package io.wsk.engine;

import java.util.List;
import java.util.Set;

/**
 * An allow-list of {@code Origin} header values. Browsers send {@code Origin} on every WebSocket
 * handshake, and CORS does not apply to WebSockets, so this is what stops another site's page from
 * opening a WebSocket with the user's cookies (cross-site WebSocket hijacking).
 */
public final class OriginPolicy {

    private static final OriginPolicy ANY = new OriginPolicy(null);

    /** {@code null} allows any origin. */
    private final Set<String> allowed;

    private OriginPolicy(Set<String> allowed) {
        this.allowed = allowed;
    }

    public static OriginPolicy any() {
        return ANY;
    }

    /** Only these origins, e.g. {@code https://chat.example.com}; requests without Origin (non-browser clients) pass. */
    public static OriginPolicy only(List<String> origins) {
        return new OriginPolicy(Set.copyOf(origins));
    }

    public boolean allowsAny() {
        return allowed == null;
    }

    /** Whether a request carrying {@code origin} (or none, when {@code null}) may proceed. */
    public boolean allows(String origin) {
        return allowed == null || origin == null || allowed.contains(origin);
    }

    /** Whether {@code origin} is listed (no wildcard applies). */
    boolean lists(String origin) {
        return allowed != null && allowed.contains(origin);
    }
}
