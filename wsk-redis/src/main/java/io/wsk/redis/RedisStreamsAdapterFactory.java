package io.wsk.redis;

import io.lettuce.core.StreamMessage;
import io.wsk.adapter.Adapter;
import io.wsk.adapter.AdapterFactory;
import io.wsk.adapter.AdapterNamespace;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates the Redis Streams adapter of each namespace ({@link RedisStreamsAdapter}), like
 * {@code createAdapter} of {@code @socket.io/redis-streams-adapter}: all share one
 * {@link RedisBus} (publishes, requests, responses), one reader per stream (each on a connection of
 * its own, as an {@code XREAD BLOCK} holds it) and one store of recovery sessions.
 *
 * <pre>{@code
 * EventLoops loops = EventLoops.create(Runtime.getRuntime().availableProcessors());
 * RedisBus bus = new RedisBus("redis://redis:6379", 10_000, loops.group());
 * SocketIoServer io = SocketIoServer.create(SocketIoOptions.builder()
 *         .recovery(RecoveryOptions.defaults())
 *         .adapter(new RedisStreamsAdapterFactory(bus, RedisStreamsAdapterOptions.defaults())).build());
 * }</pre>
 * Create it on a thread other than the loops (it starts the readers' connections).
 */
public final class RedisStreamsAdapterFactory implements AdapterFactory, AutoCloseable {

    private static final long PRUNE_EVERY_SECONDS = 10;

    private final RedisBus bus;
    private final RedisStreamsAdapterOptions options;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wsk-redis-streams");
        thread.setDaemon(true);
        return thread;
    });
    private final SessionStore sessions;
    private final Map<String, RedisStreamsAdapter> adapters = new ConcurrentHashMap<>();
    private final List<StreamReader> readers = new ArrayList<>();

    public RedisStreamsAdapterFactory(RedisBus bus, RedisStreamsAdapterOptions options) {
        this.bus = bus;
        this.options = options;
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        this.sessions = new SessionStore(bus, options.sessionKeyPrefix(), HexFormat.of().formatHex(id),
                options.sessionSaveMillis(), timers);
        List<String> streams = new ArrayList<>();
        if (options.streamCount() == 1) {
            streams.add(options.streamName());
        } else {
            for (int i = 0; i < options.streamCount(); i++) {
                streams.add(options.streamName() + "-" + i);
            }
        }
        PeriodicTask.every(timers, Duration.ofSeconds(PRUNE_EVERY_SECONDS), Duration.ofSeconds(PRUNE_EVERY_SECONDS),
                "Redis streams: pruning recent ids", () -> adapters.values().forEach(RedisStreamsAdapter::pruneRecent));
        for (String stream : streams) {
            StreamReader reader = new StreamReader(bus, stream, options.readCount(), options.blockTimeMillis(),
                    this::route, timers);
            readers.add(reader);
            reader.start();
        }
    }

    @Override
    public Adapter create(AdapterNamespace nsp) {
        RedisStreamsAdapter[] created = new RedisStreamsAdapter[1];
        // Removes this adapter only: a namespace of the same name may have one of its own by then.
        created[0] = new RedisStreamsAdapter(nsp, bus, options, sessions, timers,
                () -> adapters.remove(nsp.name(), created[0]));
        adapters.put(nsp.name(), created[0]);
        return created[0];
    }

    /** Hands each entry to its namespace's adapter; entries of namespaces not served here are skipped. */
    private void route(List<StreamMessage<byte[], byte[]>> entries) {
        for (StreamMessage<byte[], byte[]> entry : entries) {
            Map<String, String> fields = StreamMessages.text(entry.getBody());
            String nsp = fields.get(StreamMessages.NSP);
            RedisStreamsAdapter adapter = nsp == null ? null : adapters.get(nsp);
            if (adapter != null) {
                adapter.onEntry(entry, fields);
            }
        }
    }

    public RedisBus bus() {
        return bus;
    }

    @Override
    public void close() {
        readers.forEach(StreamReader::close);
        sessions.close();
        timers.shutdownNow();
    }
}
