package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.wsk.http.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link EngineListener}s of one endpoint, each call guarded so one failing listener spares the rest. */
final class EngineListeners {

    private static final Logger log = LoggerFactory.getLogger(EngineListeners.class);

    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();

    void add(EngineListener listener) {
        listeners.add(listener);
    }

    void remove(EngineListener listener) {
        listeners.remove(listener);
    }

    void opened(EngineSession session) {
        for (EngineListener listener : listeners) {
            try {
                listener.onConnection(session);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on the opening of {}", session.id(), e);
            }
        }
    }

    void upgraded(EngineSession session) {
        for (EngineListener listener : listeners) {
            try {
                listener.onUpgrade(session);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on the upgrade of {}", session.id(), e);
            }
        }
    }

    void closed(EngineSession session, String reason) {
        for (EngineListener listener : listeners) {
            try {
                listener.onClose(session, reason);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on the close of {}", session.id(), e);
            }
        }
    }

    boolean hasHeaderListeners() {
        return !listeners.isEmpty();
    }

    /** Node's {@code initial_headers} (the handshake's answer only), then {@code headers} (every answer). */
    void headers(HttpHeaders response, HttpExchange request, boolean initial) {
        for (EngineListener listener : listeners) {
            try {
                if (initial) {
                    listener.onInitialHeaders(response, request);
                }
                listener.onHeaders(response, request);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on the headers of an answer", e);
            }
        }
    }

    void refused(ConnectionError error) {
        for (EngineListener listener : listeners) {
            try {
                listener.onConnectionError(error);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on a refused request", e);
            }
        }
    }
}
