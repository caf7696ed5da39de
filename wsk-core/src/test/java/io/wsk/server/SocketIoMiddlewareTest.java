package io.wsk.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Middlewares ({@code io.use}, {@code nsp.use}): they run in order before a socket is admitted,
 * may answer later and from any thread, and a refusal reaches the client as an exact
 * {@code connect_error} while the connection stays open for another try.
 */
class SocketIoMiddlewareTest extends SioTestSupport {

    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void middlewaresRunInOrderThenTheSocketIsAdmitted() {
        server.io().use((socket, next) -> {
            calls.add("first " + socket.handshake().auth());
            next.proceed();
        });
        server.io().use((socket, next) -> {
            calls.add("second connected=" + socket.connected());
            next.proceed();
        });
        server.io().onConnection(socket -> calls.add("connection"));
        SioClient client = open();

        String sid = client.connect("/", "{\"token\":\"t1\"}");

        await().atMost(WAIT).until(() -> calls.size() == 3);
        assertThat(calls).containsExactly("first {\"token\":\"t1\"}", "second connected=false", "connection");
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(sid);
    }

    @Test
    void aRefusalSendsTheMessageAndDataAndKeepsTheConnectionForAnotherTry() {
        server.io().use((socket, next) -> {
            if ("secret".equals(socket.handshake().auth().path("token").asText())) {
                next.proceed();
            } else {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("code", 401);
                data.put("hint", List.of("send", "a token"));
                next.reject("not authorized", data);
            }
        });
        server.io().onConnection(socket -> calls.add("connection"));
        server.io().onDisconnect((socket, reason) -> calls.add("disconnect"));
        SioClient client = open();

        client.send("40{\"token\":\"wrong\"}");

        assertThat(client.next())
                .isEqualTo("44{\"message\":\"not authorized\",\"data\":{\"code\":401,\"hint\":[\"send\",\"a token\"]}}");
        assertThat(server.io().sockets().sockets()).isEmpty();

        // the same connection may try again
        String sid = client.connect("/", "{\"token\":\"secret\"}");
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(sid);
        assertThat(calls).containsExactly("connection");
    }

    @Test
    void aRefusalWithoutDataSendsOnlyTheMessage() {
        server.io().use((socket, next) -> next.reject("go away"));
        SioClient client = open();

        client.send("40");

        assertThat(client.next()).isEqualTo("44{\"message\":\"go away\"}");
    }

    @Test
    void aLaterMiddlewareDoesNotRunAfterARefusal() throws InterruptedException {
        server.io().use((socket, next) -> next.reject("first says no"));
        server.io().use((socket, next) -> {
            calls.add("second");
            next.proceed();
        });
        SioClient client = open();

        client.send("40");

        assertThat(client.next()).isEqualTo("44{\"message\":\"first says no\"}");
        client.assertSilentFor(Duration.ofMillis(100));
        assertThat(calls).isEmpty();
    }

    @Test
    void aNamespaceMiddlewareGuardsOnlyItsNamespace() {
        server.io().of("/admin").use((socket, next) -> next.reject("admins only", "sorry"));
        SioClient client = open();

        client.send("40/admin,");
        assertThat(client.next()).isEqualTo("44/admin,{\"message\":\"admins only\",\"data\":\"sorry\"}");

        client.connect();
        assertThat(server.io().of("/admin").sockets()).isEmpty();
        assertThat(server.io().sockets().sockets()).hasSize(1);
    }

    @Test
    void aMiddlewareMayProceedLaterFromAnotherThread() {
        CompletableFuture<Boolean> handlerOnSocketLoop = new CompletableFuture<>();
        server.io().use((socket, next) -> worker.execute(() -> {
            sleep(50);
            next.proceed();
        }));
        server.io().onConnection(socket -> handlerOnSocketLoop.complete(socket.eventLoop().inEventLoop()));
        SioClient client = open();

        long start = System.nanoTime();
        String sid = client.connect();

        assertThat(millisSince(start)).isGreaterThanOrEqualTo(50L);
        assertThat(result(handlerOnSocketLoop)).as("connection handler on the socket's loop").isTrue();
        assertThat(server.io().sockets().sockets()).containsOnlyKeys(sid);
    }

    @Test
    void aMiddlewareMayRefuseLaterFromAnotherThread() {
        server.io().use((socket, next) -> worker.execute(() -> {
            sleep(50);
            next.reject("checked and refused", Map.of("retry", false));
        }));
        SioClient client = open();

        client.send("40");

        assertThat(client.next()).isEqualTo("44{\"message\":\"checked and refused\",\"data\":{\"retry\":false}}");
        assertThat(server.io().sockets().sockets()).isEmpty();
    }

    @Test
    void onlyTheFirstAnswerOfAMiddlewareCounts() throws InterruptedException {
        server.io().use((socket, next) -> {
            next.proceed();
            next.reject("too late");
            next.proceed();
        });
        server.io().onConnection(socket -> calls.add("connection"));
        SioClient client = open();

        client.connect();

        client.assertSilentFor(Duration.ofMillis(100));
        assertThat(calls).containsExactly("connection");
    }

    @Test
    void aThrowingMiddlewareRefusesTheConnectionWithoutLeakingItsMessage() {
        server.io().use((socket, next) -> {
            throw new IllegalStateException("middleware bug");
        });
        server.io().of("/quiet").use((socket, next) -> {
            throw new IllegalStateException();
        });
        server.io().of("/explicit").use((socket, next) -> {
            throw new ConnectionRefusedException("refused by exception", List.of(1, 2));
        });
        SioClient client = open();

        client.send("40");
        assertThat(client.next()).isEqualTo("44{\"message\":\"Internal error\"}");
        client.send("40/quiet,");
        assertThat(client.next()).isEqualTo("44/quiet,{\"message\":\"Internal error\"}");
        client.send("40/explicit,");
        assertThat(client.next()).isEqualTo("44/explicit,{\"message\":\"refused by exception\",\"data\":[1,2]}");

        assertThat(server.io().sockets().sockets()).isEmpty();
    }

    @Test
    void aClientThatLeftWhileItsMiddlewareWasRunningIsNeverAdmitted() throws Exception {
        CompletableFuture<Middleware.Next> pending = new CompletableFuture<>();
        server.io().use((socket, next) -> pending.complete(next));
        server.io().onConnection(socket -> calls.add("connection"));
        SioClient client = open();
        client.send("40");
        Middleware.Next next = result(pending);

        client.close();
        await().atMost(WAIT).until(() -> server.io().engine().sessionCount() == 0);
        next.proceed();

        Thread.sleep(100);
        assertThat(calls).isEmpty();
        assertThat(server.io().sockets().sockets()).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
