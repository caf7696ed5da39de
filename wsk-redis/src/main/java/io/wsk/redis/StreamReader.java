package io.wsk.redis;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads one stream without end: {@code XREAD BLOCK <block> COUNT <n> STREAMS <stream> <last id>},
 * on a connection of its own, handing each batch of entries to {@code onEntries} in stream order,
 * on the connection's event loop.
 *
 * <p>It starts at {@code $} (what is added from now on) and goes on from the last id it read, so
 * after a Redis restart that kept the stream (AOF) it reads on from where it was, and after one
 * that lost it, from the first new entry (ids grow with time). While Redis is away it retries,
 * backing off to a second, and never stops: a reader that died would leave its namespaces deaf.
 */
final class StreamReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 1_000;

    private final RedisBus bus;
    private final byte[] stream;
    private final String name;
    private final int count;
    private final long blockMillis;
    private final Consumer<List<StreamMessage<byte[], byte[]>>> onEntries;
    private final ScheduledExecutorService retries;
    private volatile RedisLink connection;
    private volatile boolean closed;
    /** Where the next read starts; {@code $} until the first entry. */
    private volatile String lastId = "$";
    private long retryMillis = FIRST_RETRY_MILLIS;

    StreamReader(RedisBus bus, String stream, int count, long blockMillis,
                 Consumer<List<StreamMessage<byte[], byte[]>>> onEntries, ScheduledExecutorService retries) {
        this.bus = bus;
        this.name = stream;
        this.stream = stream.getBytes(StandardCharsets.UTF_8);
        this.count = count;
        this.blockMillis = blockMillis;
        this.onEntries = onEntries;
        this.retries = retries;
    }

    /** Connects and reads from now on. */
    void start() {
        bus.connectReader().whenComplete((c, error) -> {
            if (closed) {
                if (c != null) {
                    c.closeAsync();
                }
                return;
            }
            if (error != null) {
                log.debug("stream {}: cannot connect yet ({})", name, error.toString());
                retry(this::start);
                return;
            }
            connection = c;
            read();
        });
    }

    /** The id of the last entry read, or {@code $} before any. */
    String lastId() {
        return lastId;
    }

    @SuppressWarnings("unchecked") // xread's varargs of one generic offset
    private void read() {
        if (closed) {
            return;
        }
        RedisLink c = connection;
        XReadArgs.StreamOffset<byte[]> from = "$".equals(lastId)
                ? XReadArgs.StreamOffset.latest(stream) : XReadArgs.StreamOffset.from(stream, lastId);
        c.async().xread(XReadArgs.Builder.block(blockMillis).count(count), from).whenComplete((entries, error) -> {
            if (closed) {
                return;
            }
            if (error != null) {
                log.debug("stream {}: read failed ({}), retrying", name, error.toString());
                retry(this::read);
                return;
            }
            retryMillis = FIRST_RETRY_MILLIS;
            if (entries != null && !entries.isEmpty()) {
                lastId = entries.get(entries.size() - 1).getId();
                try {
                    onEntries.accept(entries);
                } catch (RuntimeException e) {
                    log.warn("stream {}: entries up to {} could not all be handled", name, lastId, e);
                }
            }
            read();
        });
    }

    private void retry(Runnable again) {
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        try {
            retries.schedule(again, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        RedisLink c = connection;
        if (c != null) {
            c.closeAsync();
        }
    }
}
