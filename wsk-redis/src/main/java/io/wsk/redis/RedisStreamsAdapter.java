package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.wsk.adapter.AdapterNamespace;
import io.wsk.adapter.AdapterSocket;
import io.wsk.adapter.BroadcastOptions;
import io.wsk.adapter.ClusterAdapter;
import io.wsk.adapter.ClusterCensus;
import io.wsk.adapter.ClusterMessageType;
import io.wsk.adapter.PersistedSession;
import io.wsk.adapter.RestoredSession;
import io.wsk.limits.BreachLog;
import io.wsk.protocol.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Redis Streams adapter, compatible with {@code @socket.io/redis-streams-adapter} 0.3: a
 * Node node on that adapter and wsk nodes share one cluster.
 *
 * <p>What must not be lost goes through a stream ({@code XADD <stream> MAXLEN ~ <maxLen>}, see
 * {@link StreamMessages}): broadcasts without acks, room joins and leaves, disconnects. Requests
 * and responses, which wait for an answer anyway, go over pub/sub, msgpack, on
 * {@code <prefix>#<nsp>#} and {@code <prefix>#<nsp>#<uid>#}. Every stream entry's id is its
 * offset: recovery appends it to the packet, and a client that comes back to any node with its
 * last offset gets what it missed from the stream.
 *
 * <p>Beyond the reference:
 * <ul>
 *   <li>This node's own broadcasts reach its clients when its reader reads them back from the
 *       stream, not at once. So every client of every node gets one order, the stream's, and an
 *       offset means "this and everything before it" wherever the client was.</li>
 *   <li>A restore completes in that delivery order ({@link #completeRestore}): what was broadcast
 *       between reading the stream and registering the socket is added from the broadcasts kept
 *       lately, and what was read both ways is not sent twice.</li>
 *   <li>Sessions are saved while sockets live ({@link SessionStore}), so they survive a crash of
 *       their node.</li>
 *   <li>Entries written twice (a connection lost under an XADD) are read once ({@link DuplicateEntries}).</li>
 * </ul>
 */
public final class RedisStreamsAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(RedisStreamsAdapter.class);
    private static final BreachLog badEntries = new BreachLog(log, "ignored stream entries that do not decode");
    private static final BreachLog badMessages = new BreachLog(log, "ignored malformed pub/sub messages");
    /** Entries per XRANGE while looking for what a recovering client missed. */
    private static final int SCAN_PAGE = 1_000;
    /** Broadcasts kept for restores under way: by count, and for this long. */
    private static final int RECENT_COUNT = 10_000;
    private static final long RECENT_MILLIS = 30_000;

    private final RedisBus bus;
    private final RedisStreamsAdapterOptions options;
    private final SessionStore sessions;
    private final Runnable onClose;
    private final String stream;
    private final byte[] streamKey;
    private final String publicChannel;
    private final String privateChannel;
    private final AtomicLong entriesWritten = new AtomicLong();

    // The delivery order: everything below is guarded by this adapter's lock.
    private final DuplicateEntries duplicates = new DuplicateEntries();
    /** The last broadcast delivered from the stream, or {@code null}. */
    private StreamId lastDelivered;
    /** Restored sockets whose missed packets went up to an entry not delivered yet: skip them until it. */
    private final Map<String, StreamId> skipUntil = new HashMap<>();
    private RecentBroadcasts recent;

    RedisStreamsAdapter(AdapterNamespace nsp, RedisBus bus, RedisStreamsAdapterOptions options, SessionStore sessions,
                        ScheduledExecutorService timers, Runnable onClose) {
        super(nsp, timers, options.requestsTimeoutMillis());
        this.bus = bus;
        this.options = options;
        this.sessions = sessions;
        this.onClose = onClose;
        this.stream = options.streamOf(nsp.name());
        this.streamKey = stream.getBytes(StandardCharsets.UTF_8);
        this.publicChannel = options.channelPrefix() + "#" + nsp.name() + "#";
        this.privateChannel = publicChannel + uid + "#";
    }

    /** The stream this namespace's entries go to. */
    String stream() {
        return stream;
    }

    @Override
    public void init() {
        bus.subscribe(publicChannel, this::onPubSub);
        bus.subscribe(privateChannel, this::onPubSub);
    }

    @Override
    public void close() {
        bus.unsubscribe(publicChannel);
        bus.unsubscribe(privateChannel);
        onClose.run();
    }

    @Override
    public boolean isConnected() {
        return bus.isConnected();
    }

    @Override
    protected boolean readsOwnBroadcasts() {
        return true;
    }

    // ---- publishing ----

    /** The reference's ephemeral messages: requests that wait for answers, not kept in the stream. */
    private static boolean isEphemeral(ObjectNode message) {
        int type = message.path("type").asInt();
        return type == ClusterMessageType.BROADCAST.wire() && message.path("data").has("requestId")
                || type == ClusterMessageType.SERVER_SIDE_EMIT.wire()
                || type == ClusterMessageType.FETCH_SOCKETS.wire();
    }

    @Override
    protected void doPublish(ObjectNode message) {
        if (isEphemeral(message)) {
            bus.publish(publicChannel, Notepack.encode(message));
            return;
        }
        Map<byte[], byte[]> fields = StreamMessages.encode(message, entriesWritten.incrementAndGet());
        XAddArgs trim = XAddArgs.Builder.maxlen(options.maxLen()).approximateTrimming();
        bus.write(redis -> redis.xadd(streamKey, trim, fields));
    }

    @Override
    protected void doPublishResponse(String requesterUid, ObjectNode response) {
        bus.publish(publicChannel + requesterUid + "#", Notepack.encode(response));
    }

    private void onPubSub(String channel, byte[] payload) {
        JsonNode message;
        try {
            message = Notepack.decode(payload);
        } catch (IOException | RuntimeException e) {
            badMessages.record(channel + " (" + payload.length + " bytes): " + e.getMessage());
            return;
        }
        onMessage(message);
    }

    // ---- reading the stream ----

    /** An entry of this namespace, from the reader of its stream, in stream order. */
    void onEntry(StreamMessage<byte[], byte[]> entry, Map<String, String> fields) {
        ObjectNode message;
        try {
            message = StreamMessages.decode(fields);
        } catch (IOException | RuntimeException e) {
            badEntries.record(stream + " " + entry.getId() + ": " + e.getMessage());
            return;
        }
        if (message == null) {
            return;
        }
        synchronized (this) {
            if (duplicates.isNew(message.path("uid").asText(), StreamMessages.seq(fields))) {
                onMessage(message, entry.getId());
            }
        }
    }

    /** Under the lock, from {@link #onEntry}: delivers, and keeps what a restore under way may need. */
    @Override
    protected void deliverBroadcast(SocketPacket packet, BroadcastOptions opts, String offset) {
        StreamId id = StreamId.parse(offset);
        BroadcastOptions targets = opts;
        if (!skipUntil.isEmpty() && id != null) {
            Set<String> except = new HashSet<>(opts.except());
            for (Iterator<Map.Entry<String, StreamId>> it = skipUntil.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, StreamId> skip = it.next();
                if (!id.isAfter(skip.getValue())) {
                    except.add(skip.getKey()); // among its missed packets already
                } else {
                    it.remove();
                }
            }
            targets = new BroadcastOptions(opts.rooms(), except, opts.flags());
        }
        localBroadcast(packet, targets);
        if (id != null && nsp.recoveryWindowMillis() > 0 && !opts.flags().volatileDelivery()) {
            if (recent == null) {
                recent = new RecentBroadcasts(RECENT_COUNT, RECENT_MILLIS);
            }
            recent.add(id, (ArrayNode) packet.data(), opts, System.currentTimeMillis());
            lastDelivered = id;
        }
    }

    /** Lets go of recent broadcasts past their age, so that a namespace gone quiet does not keep them. */
    synchronized void pruneRecent() {
        if (recent != null) {
            recent.prune(System.currentTimeMillis());
        }
    }

    // ---- connection state recovery ----

    @Override
    public boolean supportsRecovery() {
        return true;
    }

    /**
     * Takes the session (GETDEL: one node only ever gets it) and checks the client's offset is
     * still in the stream, as the reference does, then reads the stream after it for the packets
     * the session missed. {@code null} (a new session for the client) when either is gone.
     */
    @Override
    public CompletableFuture<RestoredSession> restoreSession(String pid, String offset) {
        StreamId from = StreamId.parse(offset);
        if (from == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<PersistedSession> taken = sessions.take(pid);
        CompletableFuture<Boolean> offsetKept = bus.command(redis -> redis.xrange(streamKey,
                io.lettuce.core.Range.create(offset, offset))).thenApply(entries -> !entries.isEmpty());
        return taken.thenCombine(offsetKept, (session, kept) -> kept ? session : null).thenCompose(session -> {
            if (session == null) {
                return CompletableFuture.completedFuture(null);
            }
            return scan(session, from, new ArrayList<>(), new DuplicateEntries(), maxPages());
        });
    }

    private int maxPages() {
        return options.maxLen() / SCAN_PAGE * 2 + 4;
    }

    /** Pages through the stream after {@code after}, collecting what {@code session} missed. */
    private CompletableFuture<RestoredSession> scan(PersistedSession session, StreamId after, List<ArrayNode> missed,
                                                    DuplicateEntries seen, int pagesLeft) {
        return bus.command(redis -> redis.xrange(streamKey, io.lettuce.core.Range.create(after.next().toString(), "+"),
                io.lettuce.core.Limit.from(SCAN_PAGE))).thenCompose(entries -> {
            StreamId last = after;
            for (StreamMessage<byte[], byte[]> entry : entries) {
                StreamId id = StreamId.parse(entry.getId());
                if (id == null) {
                    continue;
                }
                last = id;
                Map<String, String> fields = StreamMessages.text(entry.getBody());
                if (nsp.name().equals(fields.get(StreamMessages.NSP))
                        && Integer.toString(ClusterMessageType.BROADCAST.wire()).equals(fields.get(StreamMessages.TYPE))
                        && seen.isNew(fields.getOrDefault(StreamMessages.UID, ""), StreamMessages.seq(fields))) {
                    ArrayNode packet = missedPacket(session, fields, entry.getId());
                    if (packet != null) {
                        missed.add(packet);
                    }
                }
            }
            if (entries.size() < SCAN_PAGE || pagesLeft <= 1) {
                return CompletableFuture.completedFuture(new RestoredSession(session, missed, last.toString()));
            }
            return scan(session, last, missed, seen, pagesLeft - 1);
        });
    }

    /** The packet a broadcast entry carries, offset appended, if {@code session} was among its targets. */
    private ArrayNode missedPacket(PersistedSession session, Map<String, String> fields, String offset) {
        try {
            ObjectNode message = StreamMessages.decode(fields);
            JsonNode data = message.path("data");
            JsonNode packet = data.path("packet").path("data");
            if (data.has("requestId") || !io.wsk.protocol.SocketPacketDecoder.isEventPayload(packet)) {
                return null;
            }
            BroadcastOptions opts = io.wsk.adapter.BroadcastOptionsJson.fromJson(data.path("opts"));
            if (opts.flags().volatileDelivery() || !opts.targets(session.rooms())) {
                return null;
            }
            return ((ArrayNode) packet).deepCopy().add(offset);
        } catch (IOException | RuntimeException e) {
            badEntries.record(stream + " " + offset + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Registers the restored socket in delivery order. If the reader has delivered broadcasts
     * after the scan's end meanwhile, they are added from {@link RecentBroadcasts}; if it has not
     * reached the scan's end yet, the socket skips what the scan already gave it.
     */
    @Override
    public <T> T completeRestore(RestoredSession restored, Function<RestoredSession, T> register) {
        StreamId scanned = StreamId.parse(restored.position());
        if (scanned == null) {
            return null;
        }
        synchronized (this) {
            List<ArrayNode> missed = restored.missedPackets();
            if (lastDelivered != null && lastDelivered.isAfter(scanned)) {
                List<ArrayNode> since = recent == null ? null : recent.since(scanned, restored.session().rooms());
                if (since == null) {
                    log.info("socket {} on {}: too much was broadcast during its restore; it starts anew",
                            restored.session().sid(), nsp.name());
                    return null;
                }
                missed = new ArrayList<>(missed);
                missed.addAll(since);
            } else {
                skipUntil.put(restored.session().sid(), scanned);
            }
            if (log.isDebugEnabled()) {
                log.debug("socket {} restored on {}: stream read to {}, reader at {}, {} missed, live after {}",
                        restored.session().sid(), nsp.name(), scanned, lastDelivered, missed.size(),
                        skipUntil.getOrDefault(restored.session().sid(), lastDelivered));
            }
            return register.apply(new RestoredSession(restored.session(), missed, restored.position()));
        }
    }

    @Override
    public void sessionStarted(AdapterSocket socket) {
        sessions.started(socket, () -> socketRooms(socket.id()), nsp.recoveryWindowMillis(), taken -> taken.disconnect(true));
    }

    @Override
    public void sessionChanged(AdapterSocket socket) {
        sessions.changed(socket.pid());
    }

    @Override
    public void sessionEnded(AdapterSocket socket) {
        sessions.ended(socket.pid());
    }

    @Override
    public void persistSession(PersistedSession session) {
        sessions.disconnected(session, nsp.recoveryWindowMillis());
    }

    /** A local socket's rooms changed: its saved session follows. */
    private void roomsChanged(String socketId) {
        AdapterSocket socket = nsp.localSocket(socketId);
        if (socket != null && socket.pid() != null) {
            sessions.changed(socket.pid());
        }
    }

    @Override
    public void addAll(String socketId, Collection<String> rooms) {
        super.addAll(socketId, rooms);
        roomsChanged(socketId);
    }

    @Override
    public void del(String socketId, String room) {
        super.del(socketId, room);
        roomsChanged(socketId);
    }

    // ---- counting nodes ----

    /** One NUMSUB: the public channel, and each node's private channel {@code <prefix>#<nsp>#<uid>#}. */
    @Override
    protected CompletableFuture<ClusterCensus> census(Set<String> uids) {
        return ChannelCensus.of(publicChannel, uids, bus::numsub);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return bus.numsub(publicChannel).thenApply(count -> (int) Math.max(1, count)).exceptionally(error -> 1);
    }
}
