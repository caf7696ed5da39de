package io.wsk.redis;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.wsk.adapter.Adapter;
import io.wsk.adapter.ClusterAdapter;
import io.wsk.server.AckTimeoutException;
import io.wsk.server.RemoteSocket;
import io.wsk.testkit.RedisServer;
import io.wsk.testkit.SocketIoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three wsk nodes on one Redis, one of which hangs for real: node c runs in a JVM of its own
 * ({@link ProcessNode}) and is stopped with SIGSTOP, so Redis still counts it among the subscribers
 * while it answers nothing. Node a's requests (fetchSockets, serverSideEmit with acks, broadcasts
 * with acks) first complete at their timeout with b's answers and name c as silent; after two
 * misses in a row c is left out and they complete as soon as b answered; once c resumes (SIGCONT)
 * and is heard from, it is waited for and answers again. With the classic adapter and the sharded
 * one.
 */
class HungNodeIT {

    /** The request timeout of node a, and of its broadcasts with acks. */
    private static final long TIMEOUT_MILLIS = 3000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(TIMEOUT_MILLIS);
    /** A request that waits for a silent node takes its timeout, and at most this much more. */
    private static final Duration LATE_BOUND = REQUEST_TIMEOUT.plusSeconds(3);
    /** A request that does not wait for the silent node completes within this: half the timeout. */
    private static final Duration FAST_BOUND = REQUEST_TIMEOUT.dividedBy(2);
    private static final Duration GET_LIMIT = Duration.ofSeconds(20);
    /**
     * A channel prefix of this test's own: the machine runs other clusters, and a node of theirs
     * that reconnects to a port this test's Redis reused must not join this one.
     */
    private final String key = "hung-" + UUID.randomUUID();

    private RedisServer redis;
    private WskNode a;
    private WskNode b;
    private ProcessNode c;
    private final Clients clients = new Clients();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger adapterLogger = (Logger) LoggerFactory.getLogger("io.wsk.adapter");
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        previousLevel = adapterLogger.getLevel();
        adapterLogger.setLevel(Level.INFO);
        logs.start();
        adapterLogger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        adapterLogger.detachAppender(logs);
        adapterLogger.setLevel(previousLevel);
        clients.close();
        for (AutoCloseable closeable : new AutoCloseable[]{c, a, b, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    /** {@code adapter}: {@code classic}, or the sharded adapter's {@link SubscriptionMode}. */
    private void startCluster(String adapter) throws InterruptedException {
        redis = RedisServer.start();
        a = node(adapter).name("a").requestsTimeoutMillis(TIMEOUT_MILLIS).start();
        b = node(adapter).name("b").start();
        c = ProcessNode.start(redis.url(), key, adapter, "c");
        a.awaitServerCount(3);
        b.answerServerSideEmit("who", "b");
    }

    private WskNode.Builder node(String adapter) {
        WskNode.Builder builder = WskNode.builder(redis.url()).key(key);
        return adapter.equals("classic") ? builder : builder.sharded(SubscriptionMode.valueOf(adapter));
    }

    /** What Redis counts on the channel the adapter's requests go to: what a node takes for the cluster's size. */
    private long requestSubscribers(String adapter) {
        return adapter.equals("classic") ? redis.numsub(key + "-request#/#") : redis.shardNumsub(key + "#/#");
    }

    private static Set<String> unresponsive(WskNode node) {
        Adapter adapter = node.adapter();
        return adapter instanceof RedisAdapter classic ? classic.unresponsiveNodes()
                : ((ClusterAdapter) adapter).unresponsiveNodes();
    }

    /** What the adapters logged at {@code level}. The appender appends under its own lock (AppenderBase). */
    private List<String> logged(Level level) {
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        return events.stream().filter(event -> event.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    // ---- a's requests, timed ----

    private record Timed<T>(T value, Duration took) {
    }

    private static <T> Timed<T> time(Supplier<CompletableFuture<T>> request) throws Exception {
        long start = System.nanoTime();
        T value = request.get().get(GET_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    private CompletableFuture<List<String>> socketIds() {
        return a.io().fetchSockets().thenApply(sockets -> sockets.stream().map(RemoteSocket::id).toList());
    }

    /** The names of the nodes that answer the server-side event {@code who}. */
    private CompletableFuture<List<String>> who() {
        return a.io().sockets().serverSideEmitWithAck(REQUEST_TIMEOUT, "who")
                .thenApply(answers -> answers.stream().map(JsonNode::asText).toList());
    }

    /** A broadcast with acks to every client: their answers (it fails at the timeout). */
    private CompletableFuture<List<String>> question() {
        return a.io().timeout(REQUEST_TIMEOUT).emitWithAck("question")
                .thenApply(answers -> answers.stream().map(args -> args.string(0)).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "DYNAMIC"})
    void aHungNodeIsNamedThenLeftOutThenWaitedForAgainOnceItResumes(String adapter) throws Exception {
        startCluster(adapter);
        SocketIoClient onB = clients.connect(b.url());
        SocketIoClient onC = clients.connect(c.url());
        String idB = onB.awaitConnect().id();
        String idC = onC.awaitConnect().id();
        onB.answer("question", "from-b");
        onC.answer("question", "from-c");

        // all answer, at once
        Timed<List<String>> before = time(this::who);
        assertThat(before.value()).containsExactlyInAnyOrder("b", "c");
        assertThat(before.took()).isLessThan(FAST_BOUND);
        assertThat(time(this::socketIds).value()).containsExactlyInAnyOrder(idB, idC);
        assertThat(time(this::question).value()).containsExactlyInAnyOrder("from-b", "from-c");

        c.stop();

        // a first miss: at the timeout, with b's answer, naming c
        Timed<List<String>> firstMiss = time(this::socketIds);
        assertThat(firstMiss.value()).containsExactly(idB);
        assertThat(firstMiss.took()).isBetween(REQUEST_TIMEOUT.minusMillis(100), LATE_BOUND);
        assertThat(logged(Level.WARN)).contains("fetchSockets on /: 1 of 2 other nodes answered in " + TIMEOUT_MILLIS
                + " ms; silent: " + c.uid() + "; using what arrived");
        assertThat(unresponsive(a)).as("one miss may be a pause").isEmpty();

        // a second: a server-side emit and a broadcast with acks, side by side, both at the timeout
        long start = System.nanoTime();
        CompletableFuture<List<String>> who = who();
        CompletableFuture<List<String>> question = question();
        assertThat(who.get(GET_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly("b");
        ExecutionException timedOut = catchThrowableOfType(ExecutionException.class,
                () -> question.get(GET_LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(REQUEST_TIMEOUT.minusMillis(100), LATE_BOUND);
        assertThat(timedOut.getCause()).isInstanceOf(AckTimeoutException.class);
        assertThat(((AckTimeoutException) timedOut.getCause()).responses()).extracting(args -> args.string(0))
                .containsExactly("from-b");
        assertThat(logged(Level.WARN)).contains("serverSideEmit on /: 1 of 2 other nodes answered in " + TIMEOUT_MILLIS
                + " ms; silent: " + c.uid() + "; using what arrived");
        // the adapter's own timer for the broadcast, not the one that failed it, names c
        String noCount = "broadcast with acks on /: no client count in " + TIMEOUT_MILLIS + " ms from silent: " + c.uid();
        await(noCount).atMost(Duration.ofSeconds(2)).until(() -> logged(Level.WARN).contains(noCount));
        assertThat(unresponsive(a)).containsExactly(c.uid());
        assertThat(logged(Level.WARN)).anyMatch(line -> line.startsWith("cluster node " + c.uid() + " on / missed")
                && line.contains("left out"));
        assertThat(requestSubscribers(adapter)).as("c is still subscribed").isEqualTo(3);

        // left out: each request completes once b answered
        Timed<List<String>> leftOutFetch = time(this::socketIds);
        assertThat(leftOutFetch.value()).containsExactly(idB);
        assertThat(leftOutFetch.took()).isLessThan(FAST_BOUND);
        Timed<List<String>> leftOutWho = time(this::who);
        assertThat(leftOutWho.value()).containsExactly("b");
        assertThat(leftOutWho.took()).isLessThan(FAST_BOUND);
        Timed<List<String>> leftOutQuestion = time(this::question);
        assertThat(leftOutQuestion.value()).containsExactly("from-b");
        assertThat(leftOutQuestion.took()).isLessThan(FAST_BOUND);
        System.out.printf("HungNodeIT %s: who %d ms with all nodes; with c hung fetchSockets %d ms, who + question %d ms"
                        + " (timeout %d ms); c left out: fetchSockets %d ms, who %d ms, question %d ms%n", adapter,
                before.took().toMillis(), firstMiss.took().toMillis(), Duration.ofNanos(System.nanoTime() - start).toMillis(),
                TIMEOUT_MILLIS, leftOutFetch.took().toMillis(), leftOutWho.took().toMillis(),
                leftOutQuestion.took().toMillis());

        // c resumes: what it answers late shows it is back, and it is waited for again
        c.resume();
        await("c counted again").atMost(Duration.ofSeconds(10)).until(() -> unresponsive(a).isEmpty());
        assertThat(logged(Level.INFO)).contains("cluster node " + c.uid() + " on / is heard from again: requests wait"
                + " for it again");
        Timed<List<String>> after = time(this::who);
        assertThat(after.value()).containsExactlyInAnyOrder("b", "c");
        assertThat(after.took()).isLessThan(FAST_BOUND);
        assertThat(time(this::socketIds).value()).containsExactlyInAnyOrder(idB, idC);
        assertThat(time(this::question).value()).containsExactlyInAnyOrder("from-b", "from-c");
    }

    /**
     * A left-out node that then leaves the cluster (killed: Redis drops its subscriptions) no longer
     * counts in the other direction either: a request waits for b again, where subtracting c from
     * a count that no longer holds it would wait for nobody and miss b's answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"classic", "DYNAMIC"})
    void aLeftOutNodeThatLeavesTheClusterIsForgotten(String adapter) throws Exception {
        startCluster(adapter);
        assertThat(time(this::who).value()).containsExactlyInAnyOrder("b", "c");
        c.stop();
        CompletableFuture<List<String>> fetch = socketIds();
        CompletableFuture<List<String>> who = who();
        fetch.get(GET_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(who.get(GET_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).containsExactly("b");
        assertThat(unresponsive(a)).containsExactly(c.uid());

        c.kill();
        await("c unsubscribed").atMost(Duration.ofSeconds(10)).until(() -> requestSubscribers(adapter) == 2);

        Timed<List<String>> afterLeaving = time(this::who);
        assertThat(afterLeaving.value()).containsExactly("b");
        assertThat(afterLeaving.took()).isLessThan(FAST_BOUND);
        assertThat(unresponsive(a)).isEmpty();
        assertThat(logged(Level.INFO)).contains("cluster node " + c.uid() + " on /, left out of requests, has left the cluster");
    }
}
