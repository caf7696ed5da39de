package io.wsk.redis;

import io.wsk.testkit.SocketIoClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code socket.io-client}s of one test ({@link SocketIoClient}, one Node process
 * each), over WebSocket, closed together. {@link #connect} starts a client without waiting, so
 * that several start side by side; {@link #connected} also waits for its {@code connect}.
 */
final class Clients implements AutoCloseable {

    private final List<SocketIoClient> all = new ArrayList<>();

    /** Starts a client of {@code url} (its path is the namespace); {@code authData} becomes {@code auth.data} unless null. */
    SocketIoClient connect(String url, Object authData) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("transports", List.of("websocket"));
        if (authData != null) {
            options.put("auth", Map.of("data", authData));
        }
        SocketIoClient client = SocketIoClient.connect(url, options);
        all.add(client);
        return client;
    }

    /** A client started elsewhere (other options), closed with the others. */
    SocketIoClient track(SocketIoClient client) {
        all.add(client);
        return client;
    }

    SocketIoClient connect(String url) {
        return connect(url, null);
    }

    /** Starts clients of every url at once and waits until each is connected; their socket ids, in order. */
    List<String> connectAll(List<SocketIoClient> into, String... urls) {
        for (String url : urls) {
            into.add(connect(url));
        }
        List<String> ids = new ArrayList<>();
        for (SocketIoClient client : into) {
            ids.add(client.awaitConnect().id());
        }
        return ids;
    }

    /**
     * Asserts that {@code client} got no {@code event}: a {@code marker} sent after it by the same
     * sender (and so delivered after it) has arrived, and {@code event} had not come before.
     */
    static void assertNothingBefore(SocketIoClient client, String marker, String event) {
        client.awaitReceived(marker);
        assertThat(client.allReceived(event)).as("%s before %s", event, marker).isEmpty();
    }

    @Override
    public void close() {
        SocketIoClient.closeAll(all);
        all.clear();
    }
}
