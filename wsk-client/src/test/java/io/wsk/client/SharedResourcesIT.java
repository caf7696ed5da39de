package io.wsk.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many clients on one {@link ClientResources}: two shared threads instead of two per client, each
 * client's listener calls still in order, the shared threads outliving the managers until the
 * resources are closed.
 */
class SharedResourcesIT {

    private static final int CLIENTS = 30;
    private static final int EVENTS = 20;

    @Test
    void manyClientsShareTwoThreadsAndKeepTheirOrder() throws Exception {
        try (PeerProcess peer = PeerProcess.start(PeerProcess.Kind.WSK)) {
            Set<Thread> before = live();
            ClientResources resources = ClientResources.create(1, 1);
            List<Manager> managers = new ArrayList<>();
            List<List<Integer>> received = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Manager manager = new Manager(URI.create(peer.url()), ClientOptions.builder()
                            .transports(i % 2 == 0 ? "websocket" : "polling").resources(resources).build());
                    managers.add(manager);
                    List<Integer> mine = new CopyOnWriteArrayList<>();
                    received.add(mine);
                    ClientSocket socket = manager.socket("/");
                    socket.on("echo", (args, ack) -> mine.add(args.node(0).asInt()));
                    Recorder recorder = Recorder.on(socket);
                    socket.connect();
                    recorder.awaitConnect();
                    for (int n = 0; n < EVENTS; n++) {
                        socket.emit("echo", n); // no ack asked: the server emits "echo" back
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().allMatch(r -> r.size() == EVENTS));
                List<Integer> expected = java.util.stream.IntStream.range(0, EVENTS).boxed().toList();
                assertThat(received).allSatisfy(r -> assertThat(r).isEqualTo(expected));
                Set<String> added = names(live(), before);
                assertThat(added).as("threads started for %d clients", CLIENTS)
                        .allMatch(n -> n.startsWith("wsk-client-shared-")).hasSizeLessThanOrEqualTo(2);
                assertThat(managers.get(0).socket("/").emitWithAck("echo", "x").get(10, TimeUnit.SECONDS).string(0))
                        .isEqualTo("x");
            } finally {
                managers.forEach(Manager::close);
            }
            assertThat(names(live(), before)).as("shared threads outlive the managers").isNotEmpty();
            resources.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> names(live(), before).isEmpty());
        }
    }

    private static Set<Thread> live() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Client threads alive now that were not before (the test's own helpers left out). */
    private static Set<String> names(Set<Thread> now, Set<Thread> before) {
        return now.stream().filter(t -> !before.contains(t)).map(Thread::getName)
                .filter(n -> n.startsWith("wsk-client")).collect(Collectors.toSet());
    }
}
