package io.wsk.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Engine.IO session: a client identified by its sid, reachable over polling or a WebSocket,
 * possibly moving from the first to the second.
 *
 * <p><b>Threading.</b> A session lives on one event loop ({@link #eventLoop()}); all its state is
 * touched only there, so it needs no locks. {@link #send}, {@link #close()} and
 * {@link #setListener} may be called from any thread: off the loop they hop onto it. Listener
 * callbacks run on the loop.
 */
public final class EngineSession {

    public static final String REASON_TRANSPORT_CLOSE = "transport close";
    public static final String REASON_TRANSPORT_ERROR = "transport error";
    public static final String REASON_PING_TIMEOUT = "ping timeout";
    public static final String REASON_PARSE_ERROR = "parse error";
    public static final String REASON_FORCED_CLOSE = "forced close";
    public static final String REASON_SERVER_SHUTDOWN = "server shutting down";
    /** Socket.IO's {@code disconnect(true)}. */
    public static final String REASON_FORCED_SERVER_CLOSE = "forced server close";
    /**
     * The client did not read what it was sent: more than {@link EngineOptions#maxOutboundBytes()}
     * waited for it (a wsk reason; the reference server has no such bound).
     */
    public static final String REASON_SLOW_CLIENT = "slow client";

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    /**
     * Frames normally wait for the end of the loop pass, to leave together; this much queued
     * goes at once instead. Otherwise one pass over a read of pipelined requests, or a burst of
     * broadcasts, could fill the queue past its bound before the transport had been offered any
     * of it, and a client that reads perfectly well would be closed as slow.
     */
    private static final long FLUSH_AT_ONCE_BYTES = 64 * 1024;

    private final Engine engine;
    private final String id;
    private final EventLoop loop;
    private final Handshake handshake;
    private final Heartbeat heartbeat;
    private final OutboundQueue queue = new OutboundQueue();
    private volatile Transport transport;
    private volatile SessionListener listener = SessionListener.NONE;
    private volatile boolean closed;

    /** The WebSocket being probed while upgrading from polling, else {@code null}. */
    private WebSocketTransport upgrading;
    private boolean probed;
    private ScheduledFuture<?> upgradeTimer;
    private boolean flushScheduled;
    /** Past the outbound bound: closing as a slow client, nothing more is queued. */
    private boolean overflowed;
    private final Runnable flushTask = this::flush;
    /** Observers of upgrade and close ({@code socket.conn.on(...)}); {@code null} until one is added. */
    private volatile SessionEvents events;

    EngineSession(Engine engine, String id, EventLoop loop, Handshake handshake, TimerWheel wheel) {
        this.engine = engine;
        this.id = id;
        this.loop = loop;
        this.handshake = handshake;
        this.heartbeat = new Heartbeat(this, wheel);
    }

    public String id() {
        return id;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public Handshake handshake() {
        return handshake;
    }

    EngineOptions options() {
        return engine.options();
    }

    Engine engine() {
        return engine;
    }

    /** The transport in use now. */
    public TransportName transportName() {
        return transport.name();
    }

    /** The polling transport, while the session still polls; else {@code null}. */
    PollingTransport pollingTransport() {
        return transport instanceof PollingTransport polling ? polling : null;
    }

    public boolean isOpen() {
        return !closed;
    }

    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    public void setListener(SessionListener listener) {
        this.listener = listener == null ? SessionListener.NONE : listener;
    }

    /**
     * Runs {@code listener} on the session's loop when it moves from polling to WebSocket, after
     * the owner's {@link SessionListener} (Node's {@code conn.on("upgrade")}). Any thread.
     */
    public void onUpgrade(Runnable listener) {
        events().addUpgrade(listener);
    }

    /** Runs {@code listener} with the reason once the session ended ({@code conn.on("close")}). Any thread. */
    public void onClose(Consumer<String> listener) {
        events().addClose(listener);
    }

    private SessionEvents events() {
        SessionEvents e = events;
        if (e == null) {
            synchronized (this) {
                e = events;
                if (e == null) {
                    e = new SessionEvents(id);
                    events = e;
                }
            }
        }
        return e;
    }

    /** Sends a text message. */
    public void send(String text) {
        EngineFrame frame = EngineFrame.message(text, alloc());
        send(frame);
        frame.release();
    }

    /** Sends a binary message. */
    public void send(byte[] data) {
        EngineFrame frame = EngineFrame.binaryMessage(Unpooled.wrappedBuffer(data));
        send(frame);
        frame.release();
    }

    /**
     * Sends {@code frame}; the caller keeps its own reference (release it after handing it to every
     * recipient). Frames sent after the session closed are dropped.
     */
    public void send(EngineFrame frame) {
        if (loop.inEventLoop()) {
            enqueue(frame.retain());
        } else {
            frame.retain();
            loop.execute(() -> enqueue(frame));
        }
    }

    /**
     * Sends several frames together (a packet and its binary attachments), in order.
     * {@code dropIfBusy}: drop them all when the client cannot take them right now (volatile
     * emits): no polling request is waiting, or the WebSocket's outbound buffer is full.
     */
    public void send(List<EngineFrame> frames, boolean dropIfBusy) {
        if (loop.inEventLoop()) {
            enqueueAll(frames, dropIfBusy, true);
        } else {
            for (EngineFrame frame : frames) {
                frame.retain();
            }
            loop.execute(() -> enqueueAll(frames, dropIfBusy, false));
        }
    }

    private void enqueueAll(List<EngineFrame> frames, boolean dropIfBusy, boolean retain) {
        // Volatile packets are the first to go when a client falls behind: they never wait.
        if (dropIfBusy && (closed || !queue.isEmpty() || !transport.acceptsVolatile())) {
            engine.stats().volatileDropped(1);
            if (!retain) {
                frames.forEach(EngineFrame::release);
            }
            return;
        }
        for (EngineFrame frame : frames) {
            enqueue(retain ? frame.retain() : frame);
        }
    }

    /**
     * Sends the frames of packets a recovering client missed, in order, on the session's loop.
     * They count towards what the session holds but not against its outbound bound (see
     * {@link OutboundQueue}): the caller keeps its references.
     */
    public void sendReplayed(List<EngineFrame> frames) {
        if (closed) {
            return;
        }
        for (EngineFrame frame : frames) {
            queue.addReplayed(frame.retain());
        }
        scheduleFlush();
    }

    /** The bytes waiting for the client in this session (not yet handed to its connection). */
    public long queuedBytes() {
        return queue.bytes();
    }

    /** Closes the session from the server side (reason {@code forced close}), after what was already sent. */
    public void close() {
        close(REASON_FORCED_CLOSE);
    }

    /**
     * Closes the session from the server side, reporting {@code reason} to the listener. Frames
     * already sent still go out first when the reason is a deliberate server close
     * ({@code forced close}, {@code forced server close}, {@code server shutting down}).
     */
    public void close(String reason) {
        if (loop.inEventLoop()) {
            close(reason, false);
        } else {
            loop.execute(() -> close(reason, false));
        }
    }

    // ---- everything below runs on the session's event loop ----

    void start(Transport initial) {
        this.transport = initial;
        heartbeat.schedulePing(System.nanoTime());
    }

    /** Queues the open packet, first of all frames. */
    void sendOpenPacket(boolean offerUpgrade) {
        EngineOptions o = engine.options();
        String open = "{\"sid\":\"" + id + "\",\"upgrades\":" + (offerUpgrade ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + o.pingIntervalMillis() + ",\"pingTimeout\":" + o.pingTimeoutMillis()
                + ",\"maxPayload\":" + o.maxPayload() + "}";
        enqueue(EngineFrame.text(EnginePacketType.OPEN, open, alloc()));
    }

    void sendPing() {
        enqueue(EngineFrame.PING);
    }

    /**
     * Takes ownership of one reference to {@code frame}. Past the outbound bound the session
     * first hands the transport what it can take now; a client that still leaves more than the
     * bound waiting is not reading, and is closed rather than allowed to pin memory.
     */
    private void enqueue(EngineFrame frame) {
        if (closed || overflowed) {
            frame.release();
            return;
        }
        queue.add(frame);
        long max = engine.options().maxOutboundBytes();
        if (queue.boundedBytes() >= FLUSH_AT_ONCE_BYTES || queue.boundedBytes() > max) {
            flush();
            if (queue.boundedBytes() > max) {
                overflow();
                return;
            }
        }
        scheduleFlush();
    }

    /**
     * Lets go of what the client did not read at once, and closes the session in a task of its
     * own: the sender may be an adapter in the middle of a broadcast, which the close's cleanup
     * (leaving rooms, saving the session for recovery) must not run inside.
     */
    private void overflow() {
        overflowed = true;
        engine.slowClients().record(id + " (" + queue.bytes() + " bytes waiting, "
                + transport.name().wireName() + ", " + handshake.address() + ")");
        queue.clear();
        loop.execute(() -> close(REASON_SLOW_CLIENT));
    }

    private void scheduleFlush() {
        if (!flushScheduled && !queue.isEmpty()) {
            // Flush at the end of this loop pass, so frames sent together leave together
            // (one polling response, one WebSocket flush).
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /** Hands the transport what it can take now; the rest waits for it to be writable again. */
    void flush() {
        flushScheduled = false;
        if (closed || queue.isEmpty()) {
            return;
        }
        Transport t = transport;
        if (t.isWritable()) {
            t.send(queue);
        }
    }

    /** Whether a pong is overdue; checked on every inbound request so timeouts are exact. */
    boolean expireIfTimedOut() {
        if (heartbeat.timedOut(System.nanoTime())) {
            close(REASON_PING_TIMEOUT);
            return true;
        }
        return false;
    }

    /** A packet from {@code from}. {@code data} is valid only during the call. */
    void receive(Transport from, EnginePacketType type, ByteBuf data, boolean binary) {
        if (closed || expireIfTimedOut()) {
            return;
        }
        if (from == upgrading) {
            receiveDuringUpgrade(type, data);
            return;
        }
        if (from != transport) {
            return;
        }
        switch (type) {
            case MESSAGE -> {
                engine.stats().messageReceived();
                try {
                    listener.onMessage(this, data, binary);
                } catch (RuntimeException e) {
                    engine.unexpectedErrors().record("session " + id + ": message listener failed", e);
                }
            }
            case PONG -> heartbeat.schedulePing(System.nanoTime());
            // v4 pings go server to client only; a client ping is a protocol violation.
            case PING -> close(REASON_TRANSPORT_ERROR);
            case CLOSE -> close(REASON_TRANSPORT_CLOSE, true);
            default -> {
                // open, upgrade and noop mean nothing from a client on an established transport
            }
        }
    }

    /** Bytes that do not parse as packets. */
    void receiveMalformed(Transport from) {
        if (from == upgrading) {
            abortUpgrade();
        } else if (from == transport) {
            close(REASON_PARSE_ERROR);
        }
    }

    /** The connection under {@code from} went away or failed. */
    void transportClosed(Transport from, String reason) {
        if (from == upgrading) {
            abortUpgrade();
        } else if (from == transport) {
            close(reason);
        }
    }

    // ---- upgrade from polling to WebSocket ----

    boolean isProbed() {
        return probed;
    }

    void beginUpgrade(WebSocketTransport candidate) {
        if (closed || upgrading != null || transport.name() != TransportName.POLLING) {
            candidate.close();
            return;
        }
        upgrading = candidate;
        upgradeTimer = loop.schedule(() -> {
            if (upgrading == candidate) {
                log.debug("session {}: upgrade timed out", id);
                abortUpgrade();
            }
        }, engine.options().upgradeTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void receiveDuringUpgrade(EnginePacketType type, ByteBuf data) {
        WebSocketTransport candidate = upgrading;
        if (type == EnginePacketType.PING && data.toString(StandardCharsets.UTF_8).equals("probe")) {
            EngineFrame pong = EngineFrame.PONG_PROBE;
            candidate.sendDirect(pong);
            probed = true;
            ((PollingTransport) transport).releaseWaitingGet();
        } else if (type == EnginePacketType.UPGRADE) {
            completeUpgrade(candidate);
        } else {
            abortUpgrade();
        }
    }

    private void completeUpgrade(WebSocketTransport candidate) {
        cancelUpgradeTimer();
        Transport old = transport;
        upgrading = null;
        probed = false;
        transport = candidate;
        old.discard();
        engine.stats().upgraded();
        try {
            listener.onUpgrade(this);
        } catch (RuntimeException e) {
            log.warn("session {}: upgrade listener failed", id, e);
        }
        SessionEvents e = events;
        if (e != null) {
            e.upgraded();
        }
        engine.listeners().upgraded(this);
        flush();
    }

    private void abortUpgrade() {
        WebSocketTransport candidate = upgrading;
        cancelUpgradeTimer();
        upgrading = null;
        probed = false;
        if (candidate != null) {
            candidate.close();
        }
    }

    private void cancelUpgradeTimer() {
        if (upgradeTimer != null) {
            upgradeTimer.cancel(false);
            upgradeTimer = null;
        }
    }

    // ---- closing ----

    private void close(String reason, boolean byClient) {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.stop();
        abortUpgrade();
        engine.remove(this);
        engine.stats().closed(transport.name(), reason);
        Transport.Closing why = byClient ? Transport.Closing.BY_CLIENT
                : REASON_FORCED_CLOSE.equals(reason) || REASON_SERVER_SHUTDOWN.equals(reason)
                        || REASON_FORCED_SERVER_CLOSE.equals(reason)
                ? Transport.Closing.BY_SERVER : Transport.Closing.ON_ERROR;
        if (why != Transport.Closing.BY_SERVER) {
            queue.clear();
        }
        transport.close(why, queue, reason);
        log.debug("session {} closed: {}", id, reason);
        try {
            listener.onClose(this, reason);
        } catch (RuntimeException e) {
            log.warn("session {}: close listener failed", id, e);
        }
        SessionEvents e = events;
        if (e != null) {
            e.closed(reason);
        }
        engine.listeners().closed(this, reason);
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + transport.name().wireName() + (closed ? ", closed]" : "]");
    }
}
