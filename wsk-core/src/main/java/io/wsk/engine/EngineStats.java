package io.wsk.engine;

import io.wsk.stats.ReasonCounts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link Engine} has done since it started, for metrics: sessions open by transport,
 * handshakes, upgrades, refusals by Engine.IO error code, closes by reason, bytes and messages
 * each way, volatile packets dropped. Counting costs an uncontended add (WebSocket writes count
 * once per flush, not per frame); reading sums, for a scrape now and then.
 */
public final class EngineStats {

    /** The refusal code of a {@code 503} (at capacity, or draining): not an Engine.IO code. */
    public static final String UNAVAILABLE = "unavailable";

    private final AtomicInteger pollingSessions = new AtomicInteger();
    private final AtomicInteger webSocketSessions = new AtomicInteger();
    private final LongAdder pollingHandshakes = new LongAdder();
    private final LongAdder webSocketHandshakes = new LongAdder();
    private final LongAdder upgrades = new LongAdder();
    private final ReasonCounts refusals;
    private final ReasonCounts closes = new ReasonCounts(List.of(EngineSession.REASON_TRANSPORT_CLOSE,
            EngineSession.REASON_TRANSPORT_ERROR, EngineSession.REASON_PING_TIMEOUT, EngineSession.REASON_PARSE_ERROR,
            EngineSession.REASON_FORCED_CLOSE, EngineSession.REASON_SERVER_SHUTDOWN,
            EngineSession.REASON_FORCED_SERVER_CLOSE, EngineSession.REASON_SLOW_CLIENT));
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder volatileDropped = new LongAdder();

    EngineStats() {
        List<String> codes = new ArrayList<>();
        for (EngineError error : EngineError.values()) {
            codes.add(Integer.toString(error.code()));
        }
        codes.add(UNAVAILABLE);
        this.refusals = new ReasonCounts(codes);
    }

    // ---- counting, from the engine ----

    void opened(TransportName transport) {
        (transport == TransportName.POLLING ? pollingHandshakes : webSocketHandshakes).increment();
        sessions(transport).incrementAndGet();
    }

    void upgraded() {
        upgrades.increment();
        pollingSessions.decrementAndGet();
        webSocketSessions.incrementAndGet();
    }

    void closed(TransportName transport, String reason) {
        sessions(transport).decrementAndGet();
        closes.add(reason);
    }

    void refused(EngineError error) {
        refusals.add(Integer.toString(error.code()));
    }

    void unavailable() {
        refusals.add(UNAVAILABLE);
    }

    void received(long bytes) {
        bytesIn.add(bytes);
    }

    void messageReceived() {
        messagesIn.increment();
    }

    void sent(long frames, long bytes) {
        framesOut.add(frames);
        bytesOut.add(bytes);
    }

    void volatileDropped(int packets) {
        volatileDropped.add(packets);
    }

    private AtomicInteger sessions(TransportName transport) {
        return transport == TransportName.POLLING ? pollingSessions : webSocketSessions;
    }

    // ---- reading ----

    public int sessions(String transportWireName) {
        return TransportName.POLLING.wireName().equals(transportWireName) ? pollingSessions.get() : webSocketSessions.get();
    }

    public long handshakes(String transportWireName) {
        return (TransportName.POLLING.wireName().equals(transportWireName) ? pollingHandshakes : webSocketHandshakes).sum();
    }

    public long upgrades() {
        return upgrades.sum();
    }

    /** By Engine.IO error code ({@code "0"} to {@code "5"}) and {@link #UNAVAILABLE}. */
    public ReasonCounts refusals() {
        return refusals;
    }

    public ReasonCounts closes() {
        return closes;
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    /** Engine.IO frames handed to connections: messages, pings, the open and close packets. */
    public long framesOut() {
        return framesOut.sum();
    }

    public long volatileDropped() {
        return volatileDropped.sum();
    }
}
