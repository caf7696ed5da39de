package io.wsk.client;

import java.net.URI;
import java.time.Duration;

/** wsk's client for {@link ClientFootprint}: a {@link Manager} per connection, with its own two threads or one shared {@link ClientResources}. */
final class WskMeasuredClient implements MeasuredClient {

    private final ClientResources resources;

    private WskMeasuredClient(ClientResources resources) {
        this.resources = resources;
    }

    /** Each connection with its own I/O and listener threads (the default). */
    static WskMeasuredClient ownThreads() {
        return new WskMeasuredClient(null);
    }

    /** All connections on one {@link ClientResources} with one I/O and one listener thread. */
    static WskMeasuredClient shared() {
        return new WskMeasuredClient(ClientResources.create(1, 1));
    }

    @Override
    public String name() {
        return resources == null ? "wsk-client, own threads" : "wsk-client, shared ClientResources(1, 1)";
    }

    @Override
    public Connection open(String url, Backoff backoff, Runnable onConnect) {
        Manager manager = new Manager(URI.create(url), ClientOptions.builder().transports("websocket")
                .reconnectionDelay(Duration.ofMillis(backoff.delayMillis()))
                .randomizationFactor(backoff.randomizationFactor())
                .resources(resources).build());
        manager.socket("/").onConnect(onConnect).connect();
        return manager::close;
    }

    @Override
    public void close() {
        if (resources != null) {
            resources.close();
        }
    }
}
