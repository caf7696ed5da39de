package io.wsk.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link RoomListener}s of one adapter; a failing listener is logged and spares the rest. */
final class RoomListeners {

    private static final Logger log = LoggerFactory.getLogger(RoomListeners.class);

    private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();

    void add(RoomListener listener) {
        listeners.add(listener);
    }

    void remove(RoomListener listener) {
        listeners.remove(listener);
    }

    /** The common case, checked before anything is allocated for a notice. */
    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void created(String room) {
        for (RoomListener listener : listeners) {
            try {
                listener.roomCreated(room);
            } catch (RuntimeException e) {
                log.warn("room listener failed on the creation of a room", e);
            }
        }
    }

    void deleted(String room) {
        for (RoomListener listener : listeners) {
            try {
                listener.roomDeleted(room);
            } catch (RuntimeException e) {
                log.warn("room listener failed on the deletion of a room", e);
            }
        }
    }

    void joined(String room, String socketId) {
        for (RoomListener listener : listeners) {
            try {
                listener.joined(room, socketId);
            } catch (RuntimeException e) {
                log.warn("room listener failed on a join of {}", socketId, e);
            }
        }
    }

    void left(String room, String socketId) {
        for (RoomListener listener : listeners) {
            try {
                listener.left(room, socketId);
            } catch (RuntimeException e) {
                log.warn("room listener failed on a leave of {}", socketId, e);
            }
        }
    }
}
