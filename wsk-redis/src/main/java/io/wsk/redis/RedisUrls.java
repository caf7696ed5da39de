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
 *       through failovers (Lettuce's syntax);</li>
 *   <li>{@code redis-cluster://[user:password@]host:port[,host:port...]}, {@code rediss-cluster://}
 *       for TLS: a Redis Cluster, found from these seed nodes (any of its nodes will do; name a
 *       few, so that one down at start does not matter). No database: a cluster has only db 0.</li>
 * </ul>
 */
public final class RedisUrls {

    private static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel",
            "redis-cluster", "rediss-cluster");

    private RedisUrls() {
    }

    /** {@code url} if it is one of the forms above; otherwise an exception that says what is wrong. */
    public static String check(String url) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("Redis URL must start with redis://, rediss://, redis-sentinel://, "
                    + "rediss-sentinel://, redis-cluster:// or rediss-cluster://, got '" + url + "'");
        }
        if (scheme.endsWith("sentinel")) {
            return checkSentinel(url);
        }
        if (scheme.endsWith("cluster")) {
            clusterSeeds(url);
            return url;
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

    /**
     * The seed nodes of a {@code redis-cluster://} URL, each a {@code redis://} (or {@code rediss://})
     * URI with the URL's credentials; an exception that says what is wrong otherwise.
     */
    public static List<RedisURI> clusterSeeds(String url) {
        int colon = url.indexOf("://");
        boolean tls = url.startsWith("rediss-cluster://");
        String rest = url.substring(colon + 3);
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.contains("/") || rest.contains("#") || rest.contains("?")) {
            throw new IllegalArgumentException("Redis Cluster URL takes only host:port seeds (a cluster has no "
                    + "databases but 0): '" + url + "'");
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("Redis Cluster URL names no seed node: '" + url
                    + "' (add host:port of one or more nodes of the cluster)");
        }
        List<RedisURI> seeds = new java.util.ArrayList<>();
        for (String seed : rest.split(",", -1)) {
            int portAt = seed.lastIndexOf(':');
            if (seed.isEmpty() || portAt <= 0 || portAt == seed.length() - 1) {
                throw new IllegalArgumentException("Redis Cluster URL seed '" + seed + "' is not host:port: '" + url + "'");
            }
            try {
                int port = Integer.parseInt(seed.substring(portAt + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + userInfo + seed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Redis Cluster URL seed '" + seed + "' has no valid port: '" + url + "'");
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed Redis Cluster URL '" + url + "': " + e.getMessage());
            }
        }
        return seeds;
    }

    /** Whether {@code url} names the seed nodes of a Redis Cluster. */
    public static boolean isCluster(String url) {
        return url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://");
    }

    /** Whether {@code url} reaches Redis through sentinels. */
    public static boolean isSentinel(String url) {
        return url.startsWith("redis-sentinel://") || url.startsWith("rediss-sentinel://");
    }
}
