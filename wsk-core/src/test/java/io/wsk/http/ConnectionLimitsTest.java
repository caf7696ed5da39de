package io.wsk.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.wsk.limits.BreachLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener's own limits: past {@code maxOpenConnections} a connection is closed as soon as it
 * is accepted (so the process never runs out of descriptors), a failing accept pauses and is
 * logged once per interval rather than once a second with a stack trace, and clients that reset
 * in the middle of a request leave no warning at all.
 */
class ConnectionLimitsTest {

    private HttpServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpServer start(HttpServer.Builder builder) throws InterruptedException {
        server = builder.host("127.0.0.1").port(0).ioThreads(1)
                .route("/ok", exchange -> exchange.respondText(io.netty.handler.codec.http.HttpResponseStatus.OK, "ok", null))
                .start();
        return server;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(3000);
        sockets.add(socket);
        return socket;
    }

    private static String get(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[1024];
        int n = socket.getInputStream().read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void connectionsPastTheCapAreClosedAtOnceAndTheCapFreesAsConnectionsEnd() throws Exception {
        start(HttpServer.builder().maxOpenConnections(3));
        for (int i = 0; i < 3; i++) {
            assertThat(get(connect(), "/ok")).startsWith("HTTP/1.1 200");
        }
        Socket refused = connect();
        assertThat(closedByServer(refused)).isTrue();
        assertThat(server.refusedConnections().count()).isEqualTo(1);

        sockets.get(0).close();
        await().atMost(3, TimeUnit.SECONDS).until(() -> server.connections().size() == 2);
        assertThat(get(connect(), "/ok")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aFailingAcceptPausesTheListenerAndIsCountedNotThrownOn() {
        BreachLog failures = new BreachLog(LoggerFactory.getLogger(ConnectionLimitsTest.class), "test");
        EmbeddedChannel listener = new EmbeddedChannel(new AcceptFailures(failures));
        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));

        assertThat(failures.count()).isEqualTo(1);
        assertThat(listener.config().isAutoRead()).isFalse();
        listener.advanceTimeBy(1, TimeUnit.SECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).isTrue();
        listener.checkException(); // nothing reached the end of the pipeline
        listener.finishAndReleaseAll();
    }

    @Test
    void clientsThatResetMidRequestLeaveNoWarning() throws Exception {
        Logger router = (Logger) LoggerFactory.getLogger(HttpRouter.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        router.addAppender(logs);
        try {
            start(HttpServer.builder());
            for (int i = 0; i < 20; i++) {
                Socket socket = connect();
                String partial = i % 2 == 0 ? "GET /ok HTTP/1.1\r\nHost: x\r\n"
                        : "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhalf";
                socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(20);
                socket.setSoLinger(true, 0);
                socket.close();
            }
            assertThat(get(connect(), "/ok")).startsWith("HTTP/1.1 200");
            assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
        } finally {
            router.detachAppender(logs);
        }
    }
}
