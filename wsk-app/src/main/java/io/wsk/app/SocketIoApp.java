package io.wsk.app;

import io.wsk.engine.Engine;
import io.wsk.http.HttpServer;
import io.wsk.server.SocketIoServer;

import java.util.List;

/** An app built on one {@link SocketIoServer} at {@code /socket.io/}, with the chosen adapter. */
abstract class SocketIoApp implements ServerApp {

    protected final SocketIoServer io;

    SocketIoApp(ServeSettings settings) {
        this.io = SocketIoServer.create(settings.socketIoOptions().build());
    }

    @Override
    public void mount(HttpServer.Builder http) {
        io.mount(http);
    }

    @Override
    public List<Engine> engines() {
        return List.of(io.engine());
    }

    @Override
    public List<SocketIoServer> servers() {
        return List.of(io);
    }

    @Override
    public boolean clusterConnected() {
        return io.namespaces().values().stream().allMatch(nsp -> nsp.adapter().isConnected());
    }

    @Override
    public void stop() {
        io.close();
    }
}
