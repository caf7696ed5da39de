package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.wsk.http.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
        tell(l -> l.onConnection(session), "the opening of", session.id());
    }

    void upgraded(EngineSession session) {
        tell(l -> l.onUpgrade(session), "the upgrade of", session.id());
    }

    void closed(EngineSession session, String reason) {
        tell(l -> l.onClose(session, reason), "the close of", session.id());
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
        tell(l -> l.onConnectionError(error), "a refused request from", error.remoteAddress());
    }

    /** Runs {@code notice} on each listener; nothing is made for an endpoint without any (the usual case). */
    private void tell(Consumer<EngineListener> notice, String what, String whose) {
        if (listeners.isEmpty()) {
            return;
        }
        for (EngineListener listener : listeners) {
            try {
                notice.accept(listener);
            } catch (RuntimeException e) {
                log.warn("engine listener failed on {} {}", what, whose, e);
            }
        }
    }
}
