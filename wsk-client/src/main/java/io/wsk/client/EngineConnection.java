package io.wsk.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsk.protocol.EngineFrame;
import io.wsk.protocol.EnginePacketType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO v4 session as engine.io-client's {@code Socket} runs it: the handshake on the
 * first transport, the heartbeat check (the server pings; no ping within
 * {@code pingInterval + pingTimeout} means the connection is dead), the polling to WebSocket
 * upgrade (protocol.md 1.7) and a write buffer that holds packets while a transport is busy or
 * an upgrade is under way. I/O thread only.
 */
final class EngineConnection implements TransportListener {

    /** What the Socket.IO layer hears. */
    interface Listener {
        void onOpen(EngineHandshake handshake);

        /** A message packet's data; valid during the call only. */
        void onMessage(ByteBuf data, boolean binary);

        void onUpgrade(String transport);

        /** Once, whatever closed it; {@code cause} may be null. */
        void onClose(String reason, Throwable cause);
    }

    private enum State { OPENING, OPEN, CLOSED }

    private final TransportContext context;
    private final Listener listener;
    private final ArrayDeque<EngineFrame> writeBuffer = new ArrayDeque<>();
    private State state = State.OPENING;
    private Transport transport;
    private WebSocketTransport probe;
    private boolean upgrading;
    private EngineHandshake handshake;
    private ScheduledFuture<?> pingCheck;

    EngineConnection(TransportContext context, Listener listener) {
        this.context = context;
        this.listener = listener;
    }

    void open() {
        String first = context.options.transports().get(0);
        transport = first.equals(PollingTransport.NAME)
                ? new PollingTransport(context, this)
                : new WebSocketTransport(context, null, this);
        transport.open();
    }

    /** The transport packets go over now ({@code polling} or {@code websocket}). */
    String transportName() {
        return transport == null ? null : transport.name();
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether a packet written now would go out at once (what {@code volatile} emits need). */
    boolean writable() {
        return state == State.OPEN && !upgrading && transport.writable() && writeBuffer.isEmpty();
    }

    /** Queues the frames (taking ownership) and writes what the transport takes. */
    void send(List<EngineFrame> frames) {
        if (state == State.CLOSED) {
            frames.forEach(EngineFrame::release);
            return;
        }
        writeBuffer.addAll(frames);
        flush();
    }

    private void flush() {
        if (state != State.OPEN || upgrading || writeBuffer.isEmpty() || !transport.writable()) {
            return;
        }
        transport.send(takeBatch());
    }

    /**
     * The frames of the next write. Polling sends at most {@code maxPayload} bytes in one POST,
     * counted as engine.io-client counts them; WebSocket sends everything.
     */
    private List<EngineFrame> takeBatch() {
        List<EngineFrame> batch = new ArrayList<>();
        if (!transport.name().equals(PollingTransport.NAME)) {
            batch.addAll(writeBuffer);
            writeBuffer.clear();
            return batch;
        }
        long budget = handshake.maxPayload();
        long size = 1;
        while (!writeBuffer.isEmpty()) {
            EngineFrame next = writeBuffer.peek();
            long length = io.wsk.protocol.PollingPayloadEncoder.encodedLength(next) + (batch.isEmpty() ? 0 : 1);
            if (!batch.isEmpty() && size + length > budget) {
                break;
            }
            size += length;
            batch.add(writeBuffer.poll());
        }
        return batch;
    }

    /** Closes the session politely (a close packet) and reports {@code forced close}. */
    void close() {
        if (state == State.CLOSED) {
            return;
        }
        closeWith("forced close", null, true);
    }

    @Override
    public void onTransportOpen(Transport t) {
        // Nothing until the open packet: the session starts with the handshake.
    }

    @Override
    public void onPacket(Transport t, EnginePacketType type, ByteBuf data, boolean binary) {
        if (t != transport || state == State.CLOSED) {
            return;
        }
        switch (type) {
            case OPEN -> onHandshake(data.toString(StandardCharsets.UTF_8));
            case PING -> {
                armPingCheck();
                send(List.of(EngineFrame.text(EnginePacketType.PONG, "", TransportContext.ALLOC)));
            }
            case MESSAGE -> {
                if (state == State.OPEN) {
                    listener.onMessage(data, binary);
                }
            }
            case CLOSE -> closeWith("transport close", null, false);
            default -> {
                // noop, and pongs or upgrades a server never sends: nothing to do
            }
        }
    }

    private void onHandshake(String json) {
        if (state != State.OPENING) {
            return;
        }
        try {
            handshake = EngineHandshake.parse(json, context.mapper);
        } catch (IllegalStateException e) {
            closeWith("parse error", e, false);
            return;
        }
        state = State.OPEN;
        transport.sid(handshake.sid());
        armPingCheck();
        listener.onOpen(handshake);
        if (state != State.OPEN) {
            return;
        }
        flush();
        if (context.options.upgrade() && transport.name().equals(PollingTransport.NAME)
                && handshake.upgrades().contains(WebSocketTransport.NAME)
                && context.options.transports().contains(WebSocketTransport.NAME)) {
            startProbe();
        }
    }

    private void armPingCheck() {
        if (pingCheck != null) {
            pingCheck.cancel(false);
        }
        long millis = handshake.pingInterval() + handshake.pingTimeout();
        pingCheck = context.loop.schedule(() -> closeWith("ping timeout", null, false), millis, TimeUnit.MILLISECONDS);
    }

    private void startProbe() {
        probe = new WebSocketTransport(context, handshake.sid(), new ProbeListener());
        probe.open();
    }

    @Override
    public void onDrain(Transport t) {
        if (t == transport) {
            flush();
        }
    }

    @Override
    public void onTransportClose(Transport t, String reason, Throwable cause) {
        if (t == transport) {
            closeWith(reason, cause, false);
        }
    }

    private void closeWith(String reason, Throwable cause, boolean polite) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (pingCheck != null) {
            pingCheck.cancel(false);
        }
        if (probe != null) {
            probe.close(false);
            probe = null;
        }
        if (transport != null) {
            transport.close(polite);
        }
        writeBuffer.forEach(EngineFrame::release);
        writeBuffer.clear();
        listener.onClose(reason, cause);
    }

    /** The WebSocket being tried: {@code 2probe}, {@code 3probe}, pause polling, {@code 5}. */
    private final class ProbeListener implements TransportListener {
        @Override
        public void onTransportOpen(Transport t) {
            t.send(List.of(EngineFrame.text(EnginePacketType.PING, "probe", TransportContext.ALLOC)));
        }

        @Override
        public void onPacket(Transport t, EnginePacketType type, ByteBuf data, boolean binary) {
            if (t != probe || state != State.OPEN) {
                return;
            }
            if (type != EnginePacketType.PONG || binary || !"probe".equals(data.toString(StandardCharsets.UTF_8))) {
                fail();
                return;
            }
            upgrading = true;
            Transport polling = transport;
            polling.pause(() -> {
                if (t != probe || state != State.OPEN) {
                    return;
                }
                probe = null;
                polling.close(false); // the server moves the session to the WebSocket on "5"
                transport = t;
                t.listener(EngineConnection.this);
                t.send(List.of(EngineFrame.text(EnginePacketType.UPGRADE, "", TransportContext.ALLOC)));
                upgrading = false;
                listener.onUpgrade(t.name());
                flush();
            });
        }

        @Override
        public void onDrain(Transport t) {
        }

        @Override
        public void onTransportClose(Transport t, String reason, Throwable cause) {
            if (t == probe) {
                fail();
            }
        }

        /** The upgrade failed: stay on polling (as engine.io-client does). */
        private void fail() {
            WebSocketTransport failed = probe;
            probe = null;
            if (failed != null) {
                failed.close(false);
            }
            if (upgrading) {
                upgrading = false;
                transport.resume();
                flush();
            }
        }
    }
}
