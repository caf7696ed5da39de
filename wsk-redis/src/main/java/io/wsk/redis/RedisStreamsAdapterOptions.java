package io.wsk.redis;

/**
 * Settings of the Redis Streams adapter, named and defaulted as in
 * {@code @socket.io/redis-streams-adapter} 0.3 (a Node node and wsk nodes of one cluster need the
 * same stream name, stream count, channel prefix and session key prefix).
 *
 * @param streamName            the stream, or with several the prefix of {@code <name>-<i>} ({@code socket.io})
 * @param streamCount           streams to spread namespaces over; a namespace always uses the same one (1)
 * @param channelPrefix         the pub/sub channels of requests and responses: {@code <prefix>#<nsp>#} ({@code socket.io})
 * @param maxLen                {@code XADD MAXLEN ~}: about how many entries each stream keeps (10,000)
 * @param readCount             entries per {@code XREAD} (100)
 * @param blockTimeMillis       how long an {@code XREAD} waits for entries (5,000)
 * @param sessionKeyPrefix      recovery sessions' keys: {@code <prefix><pid>} ({@code sio:session:})
 * @param requestsTimeoutMillis how long cluster requests wait for other nodes (5,000)
 * @param sessionSaveMillis     how long a change of a live session's rooms or data waits, to be
 *                              saved with the others of that moment (100; wsk's, see {@link SessionStore})
 */
public record RedisStreamsAdapterOptions(String streamName, int streamCount, String channelPrefix, int maxLen,
                                         int readCount, long blockTimeMillis, String sessionKeyPrefix,
                                         long requestsTimeoutMillis, long sessionSaveMillis) {

    public RedisStreamsAdapterOptions {
        if (streamCount < 1 || maxLen < 1 || readCount < 1 || blockTimeMillis < 1 || requestsTimeoutMillis < 1
                || sessionSaveMillis < 1) {
            throw new IllegalArgumentException("stream count, maxLen, readCount and the durations must be positive");
        }
    }

    public static RedisStreamsAdapterOptions defaults() {
        return new RedisStreamsAdapterOptions("socket.io", 1, "socket.io", 10_000, 100, 5_000, "sio:session:", 5_000, 100);
    }

    public RedisStreamsAdapterOptions withStreamCount(int count) {
        return new RedisStreamsAdapterOptions(streamName, count, channelPrefix, maxLen, readCount, blockTimeMillis,
                sessionKeyPrefix, requestsTimeoutMillis, sessionSaveMillis);
    }

    public RedisStreamsAdapterOptions withMaxLen(int entries) {
        return new RedisStreamsAdapterOptions(streamName, streamCount, channelPrefix, entries, readCount, blockTimeMillis,
                sessionKeyPrefix, requestsTimeoutMillis, sessionSaveMillis);
    }

    public RedisStreamsAdapterOptions withRequestsTimeoutMillis(long millis) {
        return new RedisStreamsAdapterOptions(streamName, streamCount, channelPrefix, maxLen, readCount, blockTimeMillis,
                sessionKeyPrefix, millis, sessionSaveMillis);
    }

    public RedisStreamsAdapterOptions withBlockTimeMillis(long millis) {
        return new RedisStreamsAdapterOptions(streamName, streamCount, channelPrefix, maxLen, readCount, millis,
                sessionKeyPrefix, requestsTimeoutMillis, sessionSaveMillis);
    }

    /**
     * The stream of namespace {@code nsp}: {@code streamName}, or with several streams
     * {@code streamName-<i>}, i the Java (and JavaScript) string hash of the name modulo the count,
     * negative when the hash is, exactly as the reference computes it.
     */
    public String streamOf(String nsp) {
        return streamCount == 1 ? streamName : streamName + "-" + (nsp.hashCode() % streamCount);
    }
}
