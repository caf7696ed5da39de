package io.wsk.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dynamic namespace: every name its matcher accepts becomes a child namespace on first
 * connection (e.g. {@code io.of(Pattern.compile("^/team-\\d+$"))}). Middlewares and handlers
 * registered here apply to all children, present and future. Existing namespaces take priority.
 */
public final class ParentNamespace {

    private final NamespaceMatcher matcher;
    private final String label;
    private final NamespaceHandlers handlers = new NamespaceHandlers();
    private final List<Namespace> children = new CopyOnWriteArrayList<>();

    ParentNamespace(NamespaceMatcher matcher, String label) {
        this.matcher = matcher;
        this.label = label;
    }

    /**
     * What names this family of namespaces in metrics: the pattern, or {@code dynamic-<n>} for
     * the n-th matcher; one label for all children, however many there are.
     */
    public String label() {
        return label;
    }

    boolean matches(String name, com.fasterxml.jackson.databind.JsonNode auth) {
        return matcher.matches(name, auth);
    }

    Namespace createChild(String name, SocketIoServer server) {
        Namespace child = new Namespace(name, server, handlers, this);
        children.add(child);
        return child;
    }

    /** An empty child was removed (see {@link SocketIoOptions#cleanupEmptyChildNamespaces()}). */
    void removeChild(Namespace child) {
        children.remove(child);
    }

    /** The children that exist now (empty ones are removed unless that is turned off). */
    public List<Namespace> children() {
        return List.copyOf(children);
    }

    public ParentNamespace use(Middleware middleware) {
        handlers.middlewares.add(middleware);
        return this;
    }

    public ParentNamespace onConnection(ConnectionHandler handler) {
        handlers.connectionHandlers.add(handler);
        return this;
    }

    public ParentNamespace on(String event, EventHandler handler) {
        handlers.addEventHandler(event, handler);
        return this;
    }

    public ParentNamespace onDisconnect(DisconnectHandler handler) {
        handlers.disconnectHandlers.add(handler);
        return this;
    }

    /** Sends to every socket of every child namespace. */
    public void emit(String event, Object... args) {
        for (Namespace child : children) {
            child.emit(event, args);
        }
    }
}
