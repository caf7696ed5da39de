package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * Cross-origin rules for the polling transport, applied to every Engine.IO HTTP response
 * (errors included) and to preflight requests, with the headers the reference server sends.
 */
public final class CorsPolicy {

    private static final CorsPolicy DISABLED = new CorsPolicy(false, null, false);

    private final boolean enabled;
    /** {@code null} with {@code enabled}: any origin. */
    private final OriginPolicy origins;
    private final boolean credentials;

    private CorsPolicy(boolean enabled, OriginPolicy origins, boolean credentials) {
        this.enabled = enabled;
        this.origins = origins;
        this.credentials = credentials;
    }

    /** No CORS headers at all (the default, as in Socket.IO v3+). */
    public static CorsPolicy disabled() {
        return DISABLED;
    }

    /**
     * Any origin. Without credentials the reply is {@code Access-Control-Allow-Origin: *}; with
     * credentials the request's origin is echoed, since browsers refuse {@code *} with credentials.
     */
    public static CorsPolicy anyOrigin(boolean credentials) {
        return new CorsPolicy(true, null, credentials);
    }

    /** Only the listed origins. */
    public static CorsPolicy origins(List<String> origins, boolean credentials) {
        return new CorsPolicy(true, OriginPolicy.only(origins), credentials);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Adds the CORS headers for a request carrying {@code origin} (may be {@code null}). */
    public void apply(String origin, HttpHeaders response) {
        if (!enabled) {
            return;
        }
        if (origins == null) {
            if (credentials && origin != null) {
                response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                response.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            } else {
                response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            }
        } else {
            response.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            if (origin == null || !origins.lists(origin)) {
                return;
            }
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        if (credentials) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    /** Adds the headers of a preflight ({@code OPTIONS}) reply. */
    public void applyPreflight(String origin, HttpHeaders request, HttpHeaders response) {
        apply(origin, response);
        if (!enabled) {
            return;
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET,HEAD,PUT,PATCH,POST,DELETE");
        String requested = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (requested != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
            response.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        }
    }
}
