package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.wsk.adapter.AdapterSocket;
import io.wsk.adapter.PersistedSession;
import io.wsk.limits.BreachLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Recovery sessions in Redis, as {@code @socket.io/redis-streams-adapter} keeps them:
 * {@code SET <prefix><pid> <base64 of msgpack {sid, pid, rooms, data}> PX <window>}, taken back
 * with {@code GETDEL}, so only one node can ever restore a session.
 *
 * <p>The reference saves a session when its socket disconnects, so the sessions of a node that
 * crashes are lost. This store saves each session while its socket lives too: at connect, and a
 * moment after its rooms or data change (changes of that moment saved together), with the TTL
 * renewed every third of the window. A dead node's sessions thus live on for at most one window.
 *
 * <p>Two nodes must never both own a session. Each save carries an owner token (a field
 * {@code owner}, which the reference ignores) and replaces only the value this node wrote last
 * (a compare-and-set script). When another node took the session (its client came back there
 * while this node still thought it connected), the compare fails, and this node's stale socket is
 * disconnected. A session found gone (Redis lost its data) is written again.
 */
final class SessionStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionStore.class);
    private static final BreachLog corrupt = new BreachLog(log, "ignored recovery sessions that do not decode");
    private static final BreachLog failedWrites = new BreachLog(log, "recovery sessions not saved yet (retried)");
    private static final long RETRY_MILLIS = 1_000;
    private static final long REFRESH_CHECK_MILLIS = 1_000;

    /**
     * KEYS[1] the session; ARGV[1] the new value (empty: delete), ARGV[2] the TTL in ms, ARGV[3..]
     * the values this node may have left there: the last one Redis confirmed, and those whose
     * answer was lost with a connection (Redis may have taken them; a write sent again after a
     * reconnection may even have been done already). 1: done; 0: another node's value is there
     * (the session was taken); -1: there was none, and the new one is written (unless deleting).
     */
    private static final String COMPARE_AND_SET = """
            local current = redis.call('GET', KEYS[1])
            if not current then
              if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
              return -1
            end
            local mine = current == ARGV[1]
            for i = 3, #ARGV do
              if current == ARGV[i] then mine = true end
            end
            if not mine then return 0 end
            if ARGV[1] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
            return 1
            """;

    /** Writes whose answer was lost, remembered at most: more in a row means Redis is away anyway. */
    private static final int MAX_UNCONFIRMED = 8;

    /** A session whose socket is connected to this node. */
    private static final class Live {
        final AdapterSocket socket;
        final Supplier<Set<String>> rooms;
        final long windowMillis;
        final Consumer<AdapterSocket> onTaken;
        /** Queued for a save; any thread. */
        volatile boolean dirty;
        // The rest on the store's thread only. One write at a time per session, so that each
        // knows exactly what the previous one left in Redis.
        /** What Redis confirmed this node wrote last; {@code null} before the first save. */
        byte[] lastValue;
        /** Values written since without an answer (the connection failed under them): Redis may hold one. */
        final java.util.ArrayDeque<byte[]> unconfirmed = new java.util.ArrayDeque<>();
        /** When that was written (System.currentTimeMillis): it is renewed a third of the window later. */
        long writtenAtMillis;
        boolean inFlight;
        /** The last write of a socket that left, waiting for the one in flight. */
        Runnable afterFlight;

        Live(AdapterSocket socket, Supplier<Set<String>> rooms, long windowMillis, Consumer<AdapterSocket> onTaken) {
            this.socket = socket;
            this.rooms = rooms;
            this.windowMillis = windowMillis;
            this.onTaken = onTaken;
        }
    }

    private final RedisBus bus;
    private final String keyPrefix;
    private final String ownerPrefix;
    private final AtomicLong writes = new AtomicLong();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Live> toSave = new ConcurrentLinkedQueue<>();
    /** Runs every save, refresh and delete, one at a time, so a session's writes keep their order. */
    private final ScheduledExecutorService thread;

    SessionStore(RedisBus bus, String keyPrefix, String ownerUid, long saveMillis, ScheduledExecutorService thread) {
        this.bus = bus;
        this.keyPrefix = keyPrefix;
        this.ownerPrefix = "wsk:" + ownerUid + ":";
        this.thread = thread;
        PeriodicTask.every(thread, Duration.ofMillis(saveMillis), Duration.ofMillis(saveMillis), "session store: saving",
                this::saveChanged);
        PeriodicTask.every(thread, Duration.ofMillis(REFRESH_CHECK_MILLIS), Duration.ofMillis(REFRESH_CHECK_MILLIS),
                "session store: refreshing", this::refreshDue);
    }

    // ---- live sessions ----

    /** {@code socket} is connected here with a session; saved soon, then kept fresh until it leaves. */
    void started(AdapterSocket socket, Supplier<Set<String>> rooms, long windowMillis, Consumer<AdapterSocket> onTaken) {
        Live session = new Live(socket, rooms, windowMillis, onTaken);
        live.put(socket.pid(), session);
        markChanged(session);
    }

    /** A live session's rooms or data changed. */
    void changed(String pid) {
        Live session = pid == null ? null : live.get(pid);
        if (session != null) {
            markChanged(session);
        }
    }

    private void markChanged(Live session) {
        if (!session.dirty) {
            session.dirty = true;
            toSave.add(session);
        }
    }

    /** The socket left and may come back: its session, as it left it, for one window. */
    void disconnected(PersistedSession session, long windowMillis) {
        byte[] value = encode(session);
        thread.execute(() -> last(session.pid(), mine -> write(session.pid(), mine, value, windowMillis, null)));
    }

    /** The socket left for good: its session goes. */
    void ended(String pid) {
        thread.execute(() -> last(pid, mine -> {
            if (!mine.isEmpty()) {
                write(pid, mine, new byte[0], 1, null);
            }
        }));
    }

    /**
     * Stops keeping {@code pid}'s session fresh and runs {@code write} with what this node wrote
     * last ({@code null}: nothing), once no write of the session is in flight. On the store's thread.
     */
    private void last(String pid, Consumer<List<byte[]>> write) {
        Live was = live.remove(pid);
        if (was == null) {
            write.accept(List.of());
        } else if (was.inFlight) {
            was.afterFlight = () -> write.accept(expected(was));
        } else {
            write.accept(expected(was));
        }
    }

    /** What {@code session}'s key may hold of this node's: the confirmed value and the unconfirmed ones. */
    private static List<byte[]> expected(Live session) {
        List<byte[]> values = new ArrayList<>(session.unconfirmed);
        if (session.lastValue != null) {
            values.add(session.lastValue);
        }
        return values;
    }

    private void saveChanged() {
        Live session;
        while ((session = toSave.poll()) != null) {
            if (live.get(session.socket.pid()) != session) {
                continue; // gone meanwhile
            }
            if (session.inFlight) {
                continue; // saved again when that write is answered
            }
            session.dirty = false;
            PersistedSession now = new PersistedSession(session.socket.id(), session.socket.pid(), session.rooms.get(),
                    session.socket.dataJson());
            write(now.pid(), expected(session), encode(now), session.windowMillis, session);
        }
    }

    private void refreshDue() {
        long now = System.currentTimeMillis();
        for (Live session : live.values()) {
            if (!session.dirty && !session.inFlight && session.lastValue != null
                    && now - session.writtenAtMillis >= session.windowMillis / 3) {
                write(session.socket.pid(), expected(session), session.lastValue, session.windowMillis, session);
            }
        }
    }

    /**
     * Replaces what this node left under {@code pid}'s key ({@code mine}, see
     * {@link #COMPARE_AND_SET}) with {@code value} (empty: deletes), or sets it when this node
     * never wrote it. On the store's thread. {@code session}: the live session it is for (its
     * answer updates it), {@code null} for a last write.
     */
    private void write(String pid, List<byte[]> mine, byte[] value, long ttlMillis, Live session) {
        byte[] key = key(pid);
        CompletableFuture<Long> done;
        if (mine.isEmpty()) {
            if (value.length == 0) {
                return;
            }
            done = bus.command(redis -> redis.set(key, value, SetArgs.Builder.px(ttlMillis))).thenApply(ok -> 1L);
        } else {
            byte[][] keys = {key};
            byte[][] args = new byte[mine.size() + 2][];
            args[0] = value;
            args[1] = Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < mine.size(); i++) {
                args[i + 2] = mine.get(i);
            }
            done = bus.command(redis -> redis.<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER, keys, args));
        }
        if (session == null) {
            return;
        }
        session.inFlight = true;
        done.whenComplete((result, error) -> thread.execute(() -> answered(session, value, result, error)));
    }

    private void answered(Live session, byte[] value, Long result, Throwable error) {
        session.inFlight = false;
        String pid = session.socket.pid();
        if (error == null && result == 0) {
            live.remove(pid, session);
            session.afterFlight = null; // not ours any more: nothing to write
            // The socket id, not the pid: a pid is what a client shows to take its session over.
            log.info("socket {}: its session was taken by another node, disconnecting it here", session.socket.id());
            session.onTaken.accept(session.socket);
            return;
        }
        if (error == null) {
            session.lastValue = value;
            session.unconfirmed.clear();
            session.writtenAtMillis = System.currentTimeMillis();
        } else if (!java.util.Arrays.equals(value, session.lastValue)) {
            session.unconfirmed.addLast(value);
            if (session.unconfirmed.size() > MAX_UNCONFIRMED) {
                session.unconfirmed.removeFirst();
            }
        }
        if (session.afterFlight != null) {
            Runnable last = session.afterFlight;
            session.afterFlight = null;
            last.run();
        } else if (error != null) {
            failedWrites.record(pid + ": " + error.getMessage());
            // Redis away (or refusing: an ACL without EVAL?): try again in a while, not at every
            // tick. Queued anew even if marked changed meanwhile: that mark found it in flight
            // and did not queue it.
            thread.schedule(() -> {
                session.dirty = false;
                markChanged(session);
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } else if (session.dirty) {
            session.dirty = false;
            markChanged(session); // changed while this write was on its way: saved again
        }
    }

    // ---- restoring ----

    /** Takes the session of {@code pid} out of Redis, atomically ({@code GETDEL}); {@code null} when there is none. */
    CompletableFuture<PersistedSession> take(String pid) {
        byte[] key = key(pid);
        return bus.command(redis -> redis.getdel(key)).thenApply(value -> value == null ? null : decode(pid, value));
    }

    // ---- encoding ----

    private byte[] key(String pid) {
        return (keyPrefix + pid).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encode(PersistedSession session) {
        ObjectNode map = JsonNodeFactory.instance.objectNode().put("sid", session.sid()).put("pid", session.pid());
        var rooms = map.putArray("rooms");
        session.rooms().forEach(rooms::add);
        map.set("data", session.data() == null ? NullNode.instance : session.data());
        map.put("owner", ownerPrefix + writes.incrementAndGet());
        return Base64.getEncoder().encode(Notepack.encode(map));
    }

    /** The session in {@code value}, or {@code null} (logged) when it is not one: corrupt, or forged. */
    static PersistedSession decode(String pid, byte[] value) {
        try {
            JsonNode map = Notepack.decode(Base64.getDecoder().decode(value));
            JsonNode sid = map.path("sid");
            JsonNode rooms = map.path("rooms");
            if (!sid.isTextual() || sid.textValue().isEmpty() || sid.textValue().length() > 64 || !rooms.isArray()
                    || !pid.equals(map.path("pid").asText(null))) {
                corrupt.record("session " + pid + ": not {sid, pid, rooms, data}");
                return null;
            }
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode room : rooms) {
                if (room.isTextual()) {
                    names.add(room.textValue());
                }
            }
            return new PersistedSession(sid.textValue(), pid, names, map.path("data").isMissingNode()
                    ? NullNode.instance : map.get("data"));
        } catch (IOException | RuntimeException e) {
            // not base64, not msgpack (msgpack-core throws unchecked exceptions for reserved bytes)
            corrupt.record("session " + pid + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        live.clear();
        toSave.clear();
    }
}
