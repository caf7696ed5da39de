package io.wsk.adapter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
        tell(l -> l.roomCreated(room), "the creation of a room", "");
    }

    void deleted(String room) {
        tell(l -> l.roomDeleted(room), "the deletion of a room", "");
    }

    void joined(String room, String socketId) {
        tell(l -> l.joined(room, socketId), "a join of", socketId);
    }

    void left(String room, String socketId) {
        tell(l -> l.left(room, socketId), "a leave of", socketId);
    }

    private void tell(Consumer<RoomListener> notice, String what, String whose) {
        for (RoomListener listener : listeners) {
            try {
                notice.accept(listener);
            } catch (RuntimeException e) {
                log.warn("room listener failed on {} {}", what, whose, e);
            }
        }
    }
}
