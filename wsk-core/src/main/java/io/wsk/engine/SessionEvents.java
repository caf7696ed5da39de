package io.wsk.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The upgrade and close observers of one session, made only for sessions that have any: most
 * sessions have none, and pay nothing for the feature.
 */
final class SessionEvents {

    private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

    private final String sessionId;
    private final List<Runnable> upgrade = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> close = new CopyOnWriteArrayList<>();

    SessionEvents(String sessionId) {
        this.sessionId = sessionId;
    }

    void addUpgrade(Runnable listener) {
        upgrade.add(listener);
    }

    void addClose(Consumer<String> listener) {
        close.add(listener);
    }

    void upgraded() {
        for (Runnable listener : upgrade) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("session {}: upgrade observer failed", sessionId, e);
            }
        }
    }

    void closed(String reason) {
        for (Consumer<String> listener : close) {
            try {
                listener.accept(reason);
            } catch (RuntimeException e) {
                log.warn("session {}: close observer failed", sessionId, e);
            }
        }
        upgrade.clear();
        close.clear();
    }
}
