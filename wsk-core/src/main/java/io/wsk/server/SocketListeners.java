package io.wsk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The handlers registered on one socket rather than on its namespace. A socket creates it on the
 * first registration: most sockets have none (handlers on the namespace cost nothing per socket),
 * and five empty fields on every socket would cost each idle connection 16 bytes. Touched on the
 * socket's loop only.
 */
final class SocketListeners {

    /** event -> handlers */
    Map<String, List<EventHandler>> handlers;
    List<AnyEventListener> any;
    List<AnyEventListener> anyOutgoing;
    List<DisconnectHandler> disconnecting;
    List<DisconnectHandler> disconnect;

    /** {@code list} with {@code item} added, created when {@code null}. */
    static <T> List<T> append(List<T> list, T item) {
        List<T> result = list == null ? new ArrayList<>(1) : list;
        result.add(item);
        return result;
    }
}
