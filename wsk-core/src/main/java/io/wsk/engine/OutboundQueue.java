package io.wsk.engine;

import io.wsk.protocol.EngineFrame;

/**
 * The frames a session has been given and its transport has not yet taken, in order, with their
 * size in bytes: what the session's outbound bound ({@link EngineOptions#maxOutboundBytes()}) is
 * measured against. A ring of frames, as small as the {@code ArrayDeque} it replaces, since every
 * idle session has one.
 *
 * <p>Frames that replay what a recovering client missed are counted but earn the same amount of
 * credit against the bound ({@link #addReplayed}): the replay is bounded by the recovery log, not
 * by how fast the client reads, and it must not get the client closed as slow before it has had
 * the time to read it. The credit is spent as frames leave, oldest first, so it overestimates
 * what is still replay by at most what was queued before the replay began.
 *
 * <p>Used on the session's event loop only.
 */
final class OutboundQueue {

    private EngineFrame[] frames = new EngineFrame[2];
    private int head;
    private int size;
    private long bytes;
    private long replayCredit;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The bytes of every queued frame, replay included. */
    long bytes() {
        return bytes;
    }

    /** The bytes that count against the outbound bound: all of them, less the replay still queued. */
    long boundedBytes() {
        return bytes - replayCredit;
    }

    /** Takes ownership of one reference to {@code frame}. */
    void add(EngineFrame frame) {
        if (size == frames.length) {
            grow();
        }
        frames[(head + size) & (frames.length - 1)] = frame;
        size++;
        bytes += sizeOf(frame);
    }

    /** Like {@link #add}, for a frame of a recovery replay: not counted against the bound. */
    void addReplayed(EngineFrame frame) {
        add(frame);
        replayCredit += sizeOf(frame);
    }

    /** The oldest frame, without removing it, or {@code null}. */
    EngineFrame peek() {
        return size == 0 ? null : frames[head];
    }

    /** Removes the oldest frame and hands over its reference, or returns {@code null}. */
    EngineFrame poll() {
        if (size == 0) {
            return null;
        }
        EngineFrame frame = frames[head];
        frames[head] = null;
        head = (head + 1) & (frames.length - 1);
        size--;
        long frameBytes = sizeOf(frame);
        bytes -= frameBytes;
        replayCredit = Math.max(0, replayCredit - frameBytes);
        return frame;
    }

    /** Releases and removes every frame. */
    void clear() {
        EngineFrame frame;
        while ((frame = poll()) != null) {
            frame.release();
        }
        replayCredit = 0;
    }

    /** What a frame weighs here: its encoded bytes (transport framing aside). */
    static long sizeOf(EngineFrame frame) {
        return frame.bytes().readableBytes();
    }

    private void grow() {
        EngineFrame[] bigger = new EngineFrame[frames.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = frames[(head + i) & (frames.length - 1)];
        }
        frames = bigger;
        head = 0;
    }
}
