package io.wsk.redis;

import io.lettuce.core.RedisURI;

import java.net.URI;
import java.util.List;

/**
 * The Redis addresses wsk takes, checked before anything connects, so that a typo is a clear
 * message at start rather than a node that retries for ever:
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS: one Redis;</li>
 *   <li>{@code redis-sentinel://[user:password@]host:port[,host:port...][/db]#master},
 *       {@code rediss-sentinel://} for TLS: the master that these sentinels name, followed
 *       through failovers (Lettuce's syntax).</li>
 * </ul>
 */
public final class RedisUrls {

    private static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    private RedisUrls() {
    }

    /** {@code url} if it is one of the forms above; otherwise an exception that says what is wrong. */
    public static String check(String url) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("Redis URL must start with redis://, rediss://, redis-sentinel:// or "
                    + "rediss-sentinel://, got '" + url + "'");
        }
        if (scheme.endsWith("sentinel")) {
            return checkSentinel(url);
        }
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed Redis URL '" + url + "': " + e.getMessage());
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException("Redis URL has no host: '" + url + "'");
        }
        return url;
    }

    private static String checkSentinel(String url) {
        int hash = url.indexOf('#');
        if (hash < 0 || hash == url.length() - 1) {
            throw noMaster(url);
        }
        RedisURI parsed;
        try {
            parsed = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed Redis Sentinel URL '" + url + "': " + e.getMessage());
        }
        if (parsed.getSentinels().isEmpty()) {
            throw new IllegalArgumentException("Redis Sentinel URL names no sentinel: '" + url + "'");
        }
        if (parsed.getSentinelMasterId() == null || parsed.getSentinelMasterId().isEmpty()) {
            throw noMaster(url);
        }
        return url;
    }

    private static IllegalArgumentException noMaster(String url) {
        return new IllegalArgumentException("Redis Sentinel URL names no master: '" + url
                + "' (add #<master name>, the name in the sentinels' 'sentinel monitor' line)");
    }

    /** Whether {@code url} reaches Redis through sentinels. */
    public static boolean isSentinel(String url) {
        return url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
    }
}
