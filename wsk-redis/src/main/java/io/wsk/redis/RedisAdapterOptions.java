package io.wsk.redis;

/**
 * Settings of the classic Redis adapter, named and defaulted as in {@code @socket.io/redis-adapter}.
 *
 * @param key                               the channel prefix ({@code socket.io})
 * @param requestsTimeoutMillis             how long cluster requests wait for other nodes (5000)
 * @param publishOnSpecificResponseChannel  answer each requester on its own channel (false)
 */
public record RedisAdapterOptions(String key, long requestsTimeoutMillis, boolean publishOnSpecificResponseChannel) {

    public static RedisAdapterOptions defaults() {
        return new RedisAdapterOptions("socket.io", 5000, false);
    }
}
