package io.wsk.app;

import io.wsk.engine.Engine;
import io.wsk.http.HttpServer;
import io.wsk.server.SocketIoServer;

import java.util.List;

/** One of the apps {@code wsk serve --app} can run: mounts its endpoints, and stops them. */
interface ServerApp {

    void mount(HttpServer.Builder http);

    /** The Engine.IO endpoints, whose sessions a drain closes. */
    List<Engine> engines();

    /** The Socket.IO servers, whose meters {@code /metrics} shows. */
    List<SocketIoServer> servers();

    /** Whether every cluster adapter reaches the cluster (always, for a single node). */
    default boolean clusterConnected() {
        return true;
    }

    /** Closes what is left and the adapters, after a drain. */
    void stop();
}
