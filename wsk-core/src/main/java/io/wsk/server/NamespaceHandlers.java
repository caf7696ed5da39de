package io.wsk.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a namespace runs for its sockets: middlewares, connection, event and disconnect handlers,
 * and server-side event handlers. Registered once per namespace, not per socket. A dynamic
 * namespace's children share their parent's instance, so handlers added to the parent apply to
 * every child, present and future. Thread-safe; registration is rare, reading is constant.
 */
final class NamespaceHandlers {

    final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    final List<ConnectionHandler> connectionHandlers = new CopyOnWriteArrayList<>();
    final Map<String, List<EventHandler>> eventHandlers = new ConcurrentHashMap<>();
    final List<DisconnectHandler> disconnectingHandlers = new CopyOnWriteArrayList<>();
    final List<DisconnectHandler> disconnectHandlers = new CopyOnWriteArrayList<>();
    final Map<String, List<ServerSideEventHandler>> serverSideHandlers = new ConcurrentHashMap<>();

    void addEventHandler(String event, EventHandler handler) {
        eventHandlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void addServerSideHandler(String event, ServerSideEventHandler handler) {
        serverSideHandlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    }
}
