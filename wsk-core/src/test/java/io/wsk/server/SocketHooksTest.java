package io.wsk.server;

import io.wsk.adapter.RoomListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks Node apps rely on beside the handlers: per-packet middleware ({@code socket.use}),
 * the adapter's room events ({@code create-room}, {@code join-room}, {@code leave-room},
 * {@code delete-room}), and the session under a socket ({@code socket.conn}).
 */
class SocketHooksTest extends SioTestSupport {

    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @Test
    void packetMiddlewaresRunInOrderAndMayDropAPacket() throws Exception {
        server.io().onConnection(socket -> socket
                .use((s, event, args, next) -> {
                    seen.add("first " + event);
                    next.proceed();
                })
                .use((s, event, args, next) -> {
                    if ("forbidden".equals(event)) {
                        next.reject(new IllegalArgumentException("not allowed: " + event));
                    } else {
                        next.proceed();
                    }
                })
                .onError((s, error) -> seen.add("error " + error.getMessage())));
        server.io().on("ping-me", (socket, args, ack) -> ack.send("pong " + args.string(0)));
        server.io().on("forbidden", (socket, args, ack) -> seen.add("handler ran for forbidden"));
        SioClient client = connected();

        client.send("42[\"forbidden\"]");
        assertThat(take(seen)).isEqualTo("first forbidden");
        assertThat(take(seen)).isEqualTo("error not allowed: forbidden");
        client.send("421[\"ping-me\",\"x\"]");
        assertThat(take(seen)).isEqualTo("first ping-me");
        assertThat(client.next()).isEqualTo("431[\"pong x\"]");
        assertThat(seen).isEmpty();
    }

    @Test
    void aMiddlewareThatAnswersLaterHoldsTheNextPacketsBackInOrder() throws Exception {
        CompletableFuture<Runnable> pending = new CompletableFuture<>();
        server.io().onConnection(socket -> socket.use((s, event, args, next) -> {
            if ("slow".equals(event)) {
                pending.complete(next::proceed); // answered from the test's thread, later
            } else {
                next.proceed();
            }
        }));
        server.io().on("slow", (socket, args, ack) -> socket.emit("done", "slow"));
        server.io().on("fast", (socket, args, ack) -> socket.emit("done", "fast"));
        SioClient client = connected();

        client.send("42[\"slow\"]");
        client.send("42[\"fast\"]");
        Runnable proceed = result(pending);
        client.assertSilentFor(Duration.ofMillis(200));
        proceed.run();
        assertThat(client.next()).isEqualTo("42[\"done\",\"slow\"]");
        assertThat(client.next()).isEqualTo("42[\"done\",\"fast\"]");
    }

    @Test
    void roomEventsFollowJoinsAndLeaves() throws Exception {
        server.io().sockets().adapter().addRoomListener(new RoomListener() {
            @Override
            public void roomCreated(String room) {
                seen.add("create " + room);
            }

            @Override
            public void roomDeleted(String room) {
                seen.add("delete " + room);
            }

            @Override
            public void joined(String room, String socketId) {
                seen.add("join " + room + " " + socketId);
            }

            @Override
            public void left(String room, String socketId) {
                seen.add("leave " + room + " " + socketId);
            }
        });
        server.io().on("join", (socket, args, ack) -> {
            socket.join(args.string(0));
            ack.send();
        });
        server.io().on("leave", (socket, args, ack) -> {
            socket.leave(args.string(0));
            ack.send();
        });
        SioClient first = connected();
        SioClient second = connected();
        first.send("421[\"join\",\"r\"]");
        first.next();
        second.send("421[\"join\",\"r\"]");
        second.next();
        first.send("422[\"join\",\"r\"]"); // already in it: nothing happens
        first.next();
        assertThat(take(seen)).isEqualTo("create r");
        String firstId = take(seen).substring("join r ".length());
        String secondId = take(seen).substring("join r ".length());
        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(seen).isEmpty();

        first.send("423[\"leave\",\"r\"]");
        first.next();
        assertThat(take(seen)).isEqualTo("leave r " + firstId);
        second.close(); // leaving on disconnect too, then the room goes
        assertThat(take(seen)).isEqualTo("leave r " + secondId);
        assertThat(take(seen)).isEqualTo("delete r");
    }

    @Test
    void theSessionUnderASocketIsItsClientsAndSaysWhenItCloses() throws Exception {
        server.io().onConnection(socket -> socket.conn().onClose(reason -> seen.add("closed " + reason)));
        SioClient client = connected();
        client.send("41");
        client.close();
        assertThat(take(seen)).isEqualTo("closed transport close");
    }

    @Test
    void eventsWaitingForAMiddlewareThatDoesNotAnswerAreBounded() throws Exception {
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        server.io().onConnection(socket -> socket
                .use((s, event, args, next) -> { /* never answers */ })
                .onError((s, error) -> {
                    if (error.getMessage().contains("already wait for a packet middleware")) {
                        refused.incrementAndGet();
                    }
                }));
        SioClient client = connected();
        int sent = PacketMiddlewareChain.MAX_WAITING + 1 + 50; // one held by the middleware, the queue full, 50 more
        for (int i = 0; i < sent; i++) {
            client.send("42[\"e\"," + i + "]");
        }
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> refused.get() == 50);
        client.assertSilentFor(Duration.ofMillis(200));
        assertThat(refused.get()).as("refused past the bound, and only those").isEqualTo(50);
    }
}
