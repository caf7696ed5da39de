package io.wsk.protocol;

import io.netty.util.ReferenceCounted;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One Socket.IO packet ready to send: a text message frame, then one binary frame per attachment.
 *
 * <p>A broadcast is encoded once and the same instance goes to every recipient, so it is
 * immutable. Reference counting applies to all the frames together: {@link #retain()} and
 * {@link #release()} act on every frame, so a holder may either release the packet as a whole or
 * hand the individual frames on and let each be released on its own.
 */
public final class EncodedPacket implements ReferenceCounted {

    private final EngineFrame text;
    private final List<EngineFrame> frames;

    EncodedPacket(EngineFrame text, List<EngineFrame> attachments) {
        this.text = text;
        if (attachments.isEmpty()) {
            this.frames = List.of(text);
        } else {
            List<EngineFrame> all = new ArrayList<>(1 + attachments.size());
            all.add(text);
            all.addAll(attachments);
            this.frames = Collections.unmodifiableList(all);
        }
    }

    /** The text message frame: {@code 4} followed by the Socket.IO header and JSON. */
    public EngineFrame text() {
        return text;
    }

    /** Every frame in send order: the text frame, then the attachments by placeholder number. */
    public List<EngineFrame> frames() {
        return frames;
    }

    /** How many binary frames follow the text frame. */
    public int attachmentCount() {
        return frames.size() - 1;
    }

    /** The text frame's count; the frames move together as long as they are used through this packet. */
    @Override
    public int refCnt() {
        return text.refCnt();
    }

    @Override
    public EncodedPacket retain() {
        for (EngineFrame frame : frames) {
            frame.retain();
        }
        return this;
    }

    @Override
    public EncodedPacket retain(int increment) {
        for (EngineFrame frame : frames) {
            frame.retain(increment);
        }
        return this;
    }

    @Override
    public EncodedPacket touch() {
        return touch(null);
    }

    @Override
    public EncodedPacket touch(Object hint) {
        for (EngineFrame frame : frames) {
            frame.touch(hint);
        }
        return this;
    }

    /** Releases every frame; true when the text frame was deallocated. */
    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        boolean deallocated = text.release(decrement);
        for (int i = 1; i < frames.size(); i++) {
            frames.get(i).release(decrement);
        }
        return deallocated;
    }

    @Override
    public String toString() {
        return "EncodedPacket[" + text + ", " + attachmentCount() + " attachments]";
    }
}
