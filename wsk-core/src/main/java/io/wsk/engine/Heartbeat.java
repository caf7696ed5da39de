package io.wsk.engine;

/**
 * The v4 heartbeat of one session: the server pings every {@code pingInterval} after the last
 * pong, and closes the session when no pong arrives within {@code pingTimeout} of a ping.
 *
 * <p>Deadlines count from when a ping was due, not from when the wheel got to it, and
 * {@link #timedOut} lets every inbound request check the deadline exactly; so the coarse wheel
 * never keeps a dead session alive longer than the protocol allows.
 */
final class Heartbeat extends TimerWheel.Entry {

    /** Also where the interval and timeout come from: the engine's options, not copies in each heartbeat. */
    private final EngineSession session;
    private boolean awaitingPong;
    private long deadlineNanos;

    Heartbeat(EngineSession session, TimerWheel wheel) {
        super(wheel);
        this.session = session;
    }

    private long intervalNanos() {
        return session.options().pingIntervalMillis() * 1_000_000;
    }

    private long timeoutNanos() {
        return session.options().pingTimeoutMillis() * 1_000_000;
    }

    /** Starts (or restarts, on a pong) the wait for the next ping. */
    void schedulePing(long nowNanos) {
        awaitingPong = false;
        deadlineNanos = nowNanos + intervalNanos();
        wheel().schedule(this, deadlineNanos);
    }

    void stop() {
        wheel().cancel(this);
    }

    /**
     * Whether a pong is overdue at {@code nowNanos}: {@code pingTimeout} after the ping was due,
     * even if a stalled loop has not sent that ping yet (the session would be dead by then on
     * the reference server too).
     */
    boolean timedOut(long nowNanos) {
        long pongDeadline = awaitingPong ? deadlineNanos : deadlineNanos + timeoutNanos();
        return nowNanos - pongDeadline >= 0;
    }

    @Override
    void expire() {
        if (awaitingPong) {
            session.close(EngineSession.REASON_PING_TIMEOUT);
            return;
        }
        awaitingPong = true;
        deadlineNanos += timeoutNanos();
        wheel().schedule(this, deadlineNanos);
        session.sendPing();
    }
}
