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
    List<PacketMiddleware> packetMiddlewares;
    PacketMiddlewareChain packetChain;
    List<SocketErrorHandler> errorHandlers;

    // Copy-on-write: a listener may add or remove listeners while the list is being run through
    // (as Node's, which runs a copy); registering is rare, running the lists is not.

    /** {@code list} with {@code item} added last; a new list. */
    static <T> List<T> append(List<T> list, T item) {
        List<T> result = list == null ? new ArrayList<>(1) : new ArrayList<>(list);
        result.add(item);
        return result;
    }

    /** {@code list} with {@code item} added first; a new list. */
    static <T> List<T> prepend(List<T> list, T item) {
        List<T> result = new ArrayList<>(list == null ? 1 : list.size() + 1);
        result.add(item);
        if (list != null) {
            result.addAll(list);
        }
        return result;
    }

    /** {@code list} without {@code item} (each registration of it), or {@code null} when none is left. */
    static <T> List<T> remove(List<T> list, T item) {
        if (list == null) {
            return null;
        }
        List<T> result = new ArrayList<>(list);
        result.removeIf(each -> each == item);
        return result.isEmpty() ? null : result;
    }

    /** A copy of {@code list}, empty for {@code null}. */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
