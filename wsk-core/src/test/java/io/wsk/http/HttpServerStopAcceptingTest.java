package io.wsk.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener runs on one of the I/O loops (no acceptor thread of its own), so
 * {@link HttpServer#stopAccepting} may be called on that very loop, by a handler draining the node.
 * It must work there as from any other thread: a close issued on the channel's own loop completes
 * before the wait, so the wait neither blocks the loop nor trips Netty's deadlock check.
 */
class HttpServerStopAcceptingTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fromAnotherThreadTheListenerIsClosedOnReturn() throws Exception {
        server = HttpServer.builder().host("127.0.0.1").port(0).ioThreads(1).start();
        int port = server.port();
        new Socket("127.0.0.1", port).close();

        server.stopAccepting();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void fromTheListenersOwnLoopItNeitherBlocksNorThrows() throws Exception {
        server = HttpServer.builder().host("127.0.0.1").port(0).ioThreads(1).start();
        int port = server.port();
        CompletableFuture<Void> called = new CompletableFuture<>();
        // One loop: the listener's.
        server.ioGroup().next().execute(() -> {
            try {
                server.stopAccepting();
                called.complete(null);
            } catch (Throwable t) {
                called.completeExceptionally(t);
            }
        });
        called.get(5, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                Thread.sleep(10);
            } catch (IOException e) {
                refused = true;
            }
        }
        assertThat(refused).as("the listener closed").isTrue();
    }
}
