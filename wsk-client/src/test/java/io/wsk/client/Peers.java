package io.wsk.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One running server of each kind per test class and option set, shared by its tests (starting a
 * peer costs about a second), closed by {@link #closeAll()} in the class's {@code @AfterAll}.
 */
final class Peers {

    private final Map<String, PeerProcess> running = new ConcurrentHashMap<>();
    private final Map<String, Object> options;

    Peers(Map<String, Object> options) {
        this.options = options;
    }

    PeerProcess get(PeerProcess.Kind kind) {
        return running.computeIfAbsent(kind.name(), k -> PeerProcess.start(kind, options));
    }

    /** The servers every client test runs against ({@link PeerProcess.Kind#SERVE} is for measurements). */
    static Stream<PeerProcess.Kind> kinds() {
        return Stream.of(PeerProcess.Kind.WSK, PeerProcess.Kind.NODE);
    }

    void closeAll() {
        List.copyOf(running.values()).forEach(PeerProcess::close);
        running.clear();
    }
}
